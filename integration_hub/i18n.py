"""Compile the gettext catalogues under locale/ with Babel (pure Python).

GNU gettext is not needed on a fresh machine: bin/serve, bin/test and the test
session call this, and it only rewrites a .mo older than its .po.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings


def compile_catalogues(locale_dirs=None) -> list[Path]:
    written = []
    for directory in locale_dirs or settings.LOCALE_PATHS:
        for po in Path(directory).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalog)
            written.append(mo)
    return written
