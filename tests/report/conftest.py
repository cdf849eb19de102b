import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "worked-example"
HOSTILE = ('& 😀 <b>加粗</b><font color="red">红</font><script>alert(1)</script>审批'
           + "审批太慢，材料反复要求补交。" * 800)[:10_000]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def blank_pages(path: Path, folder: Path) -> list[int]:
    """Rasterise every page; a page is blank when (almost) all its pixels are white."""
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(path), str(folder / "page")], check=True)
    blank = []
    for number, png in enumerate(sorted(folder.glob("page-*.png")), start=1):
        with Image.open(png) as image:
            pixels = np.asarray(image)
        if (pixels < 200).mean() < 0.004:
            blank.append(number)
    return blank


@pytest.fixture
def hostile_bundle(tmp_path):
    """The worked example (3 prefectures, 湘潭 without feedback) plus three hostile open answers."""
    folder = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, folder)
    lines = (folder / "responses.csv").read_text("utf-8").splitlines()
    rows = [lines[0] + ",q32"] + [f"{line}," for line in lines[1:]]
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    for k in range(3):
        rows[1 + k] = rows[1 + k][:-1] + "," + quoted.replace("审批太慢", "审批太慢" * (k + 1), 1)
    (folder / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder
