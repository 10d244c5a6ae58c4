"""The CSV export read back by a real spreadsheet (LibreOffice Calc, headless, told to evaluate formulas) with
each separator a user might pick: no cell becomes a formula, whatever the accounts are called."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.exchange.importing_support import esp
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
)

NAMES = [";=1+1", "Acme;=2+2", "  =3+3", "|@SUM(4)", ";;+5", "\t-6+6", "Beta\t=7+7", "Gamma|-8", ",=9+9"]
# Separator code points for LibreOffice's CSV filter: ';', ',', tab, '|'.
SEPARATORS = {"semicolon": 59, "comma": 44, "tab": 9, "pipe": 124}


def _formulas(csv_path: Path, separator: int, tmp_path: Path) -> list[str]:
    """Open the CSV in Calc with formulas evaluated, save it as flat ODS, and list the formulas it holds."""
    # Tokens: separator, text delimiter ", UTF-8, from line 1, …, token 13 "evaluate formulas" = true.
    options = f"CSV:{separator},34,76,1,,,false,false,false,false,false,-1,true"
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            f"--infilter={options}",
            "--convert-to",
            "fods",
            "--outdir",
            str(tmp_path / "out"),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheet = (tmp_path / "out" / csv_path.with_suffix(".fods").name).read_text(encoding="utf-8")
    return re.findall(r'table:formula="([^"]*)"', sheet)


@needs_libreoffice
def test_the_spreadsheet_reader_does_run_raw_formulas(tmp_path):
    """The check below could fail: the same values written raw do become formulas in Calc."""
    raw = tmp_path / "raw.csv"
    raw.write_text("id,name\n" + "".join(f'{i},"{name}"\n' for i, name in enumerate(NAMES)), encoding="utf-8")

    assert _formulas(raw, SEPARATORS["semicolon"], tmp_path)


@needs_libreoffice
@pytest.mark.parametrize("separator", list(SEPARATORS))
def test_no_exported_cell_is_a_formula_in_a_spreadsheet(tmp_path, separator):
    for name in NAMES:
        AccountFactory(name=name, domain="", industry="Banking; Insurance")
    path = tmp_path / "accounts.csv"
    assert esp("export", "accounts", path).exit_code == 0

    assert _formulas(path, SEPARATORS[separator], tmp_path) == []
