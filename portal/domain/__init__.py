"""Pure rules of the two services: no Flask, no database, nothing but the standard library and
small well-kept libraries (holidays, phonenumbers). The most tested code of the project."""
