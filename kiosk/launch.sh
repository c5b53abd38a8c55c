#!/usr/bin/env bash
# Start Debian's Chromium as a locked-down kiosk on this kiosk's portal address.
#
#   kiosk/launch.sh https://portal.example.kz/kiosk/
#
# Before the first start, enrol the kiosk once: on the server run
#   flask --app wsgi kiosk add "ЦОН Алматы, Бостандық №1"
# and open the printed link on this machine (for example: kiosk/launch.sh <enrolment link>),
# then press "Enrol this kiosk". The device cookie lives in the profile directory below, so the
# profile must persist between starts (it is NOT incognito for that reason: an incognito window
# forgets the device cookie). What a visitor leaves is erased by the portal itself (idle reset,
# "Finish", Clear-Site-Data), not by throwing the profile away.
set -euo pipefail

URL="${1:-${KIOSK_URL:-}}"
if [[ -z "$URL" ]]; then
  echo "usage: $0 PORTAL_KIOSK_URL   (e.g. https://portal.example.kz/kiosk/)" >&2
  exit 2
fi
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
PROFILE="${KIOSK_PROFILE_DIR:-$HOME/.local/share/mekenjai-kiosk}"
mkdir -p "$PROFILE"

exec "$CHROMIUM" \
  --kiosk "$URL" \
  --kiosk-printing \
  --user-data-dir="$PROFILE" \
  --no-first-run \
  --no-default-browser-check \
  --disable-background-networking \
  --disable-component-update \
  --disable-sync \
  --disable-translate \
  --disable-features=TranslateUI,PasswordManagerOnboarding,AutofillServerCommunication \
  --disable-pinch \
  --overscroll-history-navigation=0 \
  --password-store=basic \
  --noerrdialogs \
  --disable-session-crashed-bubble \
  --check-for-update-interval=31536000
