"""The build compiles the gettext catalogues (katakit/locale/LANG/LC_MESSAGES/katakit.po) into the .mo files that
katakit.i18n reads, so that a wheel and an editable install both carry them; the rest is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for source in sorted(Path(__file__).resolve().parent.glob("katakit/locale/*/LC_MESSAGES/*.po")):
            with source.open("rb") as file:
                catalogue = read_po(file)
            with source.with_suffix(".mo").open("wb") as file:
                write_mo(file, catalogue)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
