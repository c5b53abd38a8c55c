"""Extension singletons, bound to the app in create_app()."""

from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from portal.channels import client_key


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
limiter = Limiter(key_func=client_key)
