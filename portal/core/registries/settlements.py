"""Settlement codes the registries use, with their names (kk, ru, en) and regions (kk, ru, en).

Reference data shared by the office (which settlements a member of staff handles) and the demo
stand-in registries (which seed `reg_settlement` from it).
"""

from __future__ import annotations

SETTLEMENTS = {
    "almaty": ("Алматы", "Алматы", "Almaty", "Алматы қаласы", "город Алматы", "Almaty city"),
    "astana": ("Астана", "Астана", "Astana", "Астана қаласы", "город Астана", "Astana city"),
    "shymkent": ("Шымкент", "Шымкент", "Shymkent", "Шымкент қаласы", "город Шымкент",
                 "Shymkent city"),
    "karaganda": ("Қарағанды", "Караганда", "Karaganda", "Қарағанды облысы",
                  "Карагандинская область", "Karaganda Region"),
}
