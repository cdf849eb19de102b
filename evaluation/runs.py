"""An evaluation run as files, without the database: computing one from the bundle's files and a
method file, its manifest of SHA-256 hashes and fingerprint, the archive, and the verification of
an archive with the installed ``scoring`` (``investenv evaluation verify``, which anyone can run).

A run's files, by their names in the archive:

``bundle/<name>.csv``  the evaluation bundle as the data writer wrote it (``units.csv`` when the
                      bundle ranks other units than the 14 prefectures)
``method/<file>``      the method file's TOML text, under its own file name
``results.json``       :meth:`scoring.evaluate.Evaluation.as_json` with every intermediate value
``context.json``       what the report shows beside the ranking: the inspection register of the
                      year and last year's ranking as it stood when the run was made
``manifest.json``      (in the archive only) the run's description and every file's SHA-256
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from importlib.resources import files as package_files
from pathlib import Path, PurePosixPath

from scoring.evaluate import Evaluation, PrefectureResult, evaluate
from scoring.method import from_applied, load

BUNDLE = "bundle/"
METHOD = "method/"
RESULTS = "results.json"
CONTEXT = "context.json"
MANIFEST = "manifest.json"
FORMAT = "investenv-evaluation-archive/1"
SHOWN_DIFFERENCES = 20

Progress = Callable[[str, int, int], None]


@cache
def software_version() -> str:
    """The installed package's version, and ``git describe`` when the code is a git checkout."""
    version = metadata.version("investenv")
    root = Path(__file__).resolve().parents[1]
    if (root / ".git").exists():
        try:
            described = subprocess.run(["git", "describe", "--always", "--dirty", "--tags"], cwd=root,
                                       capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return version
        if described.returncode == 0 and described.stdout.strip():
            return f"{version} ({described.stdout.strip()})"
    return version


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def fingerprint(hashes: dict[str, str]) -> str:
    """One SHA-256 for a whole run: of its files' hashes and names, one ``hash  name`` line each
    in name order (what ``sha256sum`` prints), so a single value printed in the bulletin pins
    every file."""
    return sha256("".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes)).encode())


def method_file(path: str | Path | None = None) -> tuple[str, bytes]:
    """A method file's name and text: ``path``, or the packaged default method."""
    if path is None:
        return "default.toml", package_files("scoring").joinpath("methods/default.toml").read_bytes()
    return Path(path).name, Path(path).read_bytes()


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, body in files.items():
        target = folder / PurePosixPath(name)
        if folder.resolve() not in target.resolve().parents:
            raise ValueError(f"存档中的文件名不安全：{name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


def _method_name(files: dict[str, bytes]) -> str:
    methods = [name for name in files if name.startswith(METHOD)]
    if len(methods) != 1:
        raise ValueError(f"存档须恰好包含一个方法文件（{METHOD}…），实际 {len(methods)} 个")
    return methods[0]


def recompute(year: int, files: dict[str, bytes], progress: Progress | None = None, origin: str = "bundle") -> Evaluation:
    """Rank ``year`` from a run's bundle and method files, exactly as ``investenv rank --bundle``
    ranks a bundle directory with ``--method``; messages name the bundle ``origin``."""
    with tempfile.TemporaryDirectory(prefix="investenv-run-") as tmp:
        folder = Path(tmp)
        _write(folder, {name: body for name, body in files.items() if name.startswith((BUNDLE, METHOD))})
        try:
            return evaluate(folder / BUNDLE, year, load(folder / _method_name(files)), progress)
        except ValueError as exc:
            raise ValueError(str(exc).replace(str(folder / BUNDLE), origin).replace(str(folder) + "/", "")) from None


def results_bytes(evaluation: Evaluation) -> bytes:
    return (json.dumps(evaluation.as_json(detail=True), ensure_ascii=False, indent=1) + "\n").encode()


def compute(year: int, bundle: dict[str, bytes], method: tuple[str, bytes], context: dict,
            progress: Progress | None = None, origin: str = "bundle") -> tuple[dict[str, bytes], Evaluation]:
    """A run's files (every one but the manifest) and its evaluation."""
    files = {f"{BUNDLE}{name}": body for name, body in bundle.items()} | {f"{METHOD}{method[0]}": method[1]}
    evaluation = recompute(year, files, progress, origin)
    files[RESULTS] = results_bytes(evaluation)
    files[CONTEXT] = (json.dumps(context, ensure_ascii=False, indent=1) + "\n").encode()
    return files, evaluation


def manifest(description: dict, hashes: dict[str, tuple[str, int]]) -> dict:
    """The manifest: ``description`` (year, version, software, …), every file's SHA-256 and size,
    and the fingerprint."""
    return {"format": FORMAT, **description,
            "fingerprint": fingerprint({name: sha for name, (sha, _) in hashes.items()}),
            "files": {name: {"sha256": sha, "size": size} for name, (sha, size) in sorted(hashes.items())}}


def archive(files: dict[str, bytes], description: dict) -> bytes:
    """The run as a ZIP: its files and ``manifest.json``."""
    listed = manifest(description, {name: (sha256(body), len(body)) for name, body in files.items()})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr(MANIFEST, json.dumps(listed, ensure_ascii=False, indent=1) + "\n")
        for name in sorted(files):
            handle.writestr(name, files[name])
    return out.getvalue()


# Reading stored results back -------------------------------------------------------------------

def evaluation_from_json(data: dict) -> Evaluation:
    """An :class:`Evaluation` from its JSON (``as_json``), to show and report a stored run."""
    fields = {f.name for f in dataclasses.fields(PrefectureResult)}
    prefectures = [PrefectureResult(**{key: value for key, value in p.items() if key in fields}) for p in data["prefectures"]]
    return Evaluation(year=data["year"], method=from_applied(data["method"]), prefectures=prefectures,
                      tie_zone=data["tie_zone"], weight_stability=data["weight_stability"],
                      diagnostics=data.get("diagnostics") or {}, top3_statement=data.get("top3_statement") or {})


def without_detail(results: dict) -> dict:
    """The results in the shape of ``investenv rank --json`` (no per-prefecture detail)."""
    return results | {"prefectures": [{k: v for k, v in p.items() if k != "detail"} for p in results["prefectures"]]}


# Comparing --------------------------------------------------------------------------------------

def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def differences(expected, found, path: str = "") -> list[str]:
    """Where two JSON values differ, as ``path: expected ≠ found`` lines (NaN equals NaN)."""
    if isinstance(expected, dict) and isinstance(found, dict):
        lines = []
        for key in [*expected, *(k for k in found if k not in expected)]:
            where = f"{path}.{key}" if path else str(key)
            if key not in found:
                lines.append(f"{where}：重新计算的结果中没有")
            elif key not in expected:
                lines.append(f"{where}：存档的结果中没有")
            else:
                lines += differences(expected[key], found[key], where)
        return lines
    if isinstance(expected, list) and isinstance(found, list) and len(expected) == len(found):
        return [line for i, (a, b) in enumerate(zip(expected, found, strict=True))
                for line in differences(a, b, f"{path}[{i}]")]
    return [] if _same(expected, found) else [f"{path}：存档 {expected!r} ≠ 重新计算 {found!r}"]


@dataclass
class Verification:
    manifest: dict
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_archive(path: str | Path) -> tuple[dict, dict[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as handle:
            contents = {info.filename: handle.read(info) for info in handle.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"{path}：不是可读的存档（{exc}）") from None
    try:
        listed = json.loads(contents.pop(MANIFEST))
    except (KeyError, ValueError):
        raise ValueError(f"{path}：缺少或无法读取 {MANIFEST}") from None
    if listed.get("format") != FORMAT or not isinstance(listed.get("files"), dict) or "year" not in listed:
        raise ValueError(f"{path}：{MANIFEST} 不是 {FORMAT} 格式的清单")
    return listed, contents


def verify(path: str | Path, progress: Progress | None = None) -> Verification:
    """Check every file of an archive against its manifest, then rank the archived bundle with the
    archived method and the installed ``scoring`` and compare with the archived results."""
    listed, contents = _read_archive(path)
    problems = []
    hashes = {name: entry["sha256"] for name, entry in listed["files"].items()}
    for name, expected in hashes.items():
        if name not in contents:
            problems.append(f"{name}：清单中有，存档中没有")
        elif sha256(contents[name]) != expected:
            problems.append(f"{name}：SHA-256 与清单不符（清单 {expected}，实际 {sha256(contents[name])}）")
    problems += [f"{name}：存档中有，清单中没有" for name in contents if name not in hashes]
    if fingerprint(hashes) != listed.get("fingerprint"):
        problems.append(f"{MANIFEST}：指纹与文件清单不符（清单 {listed.get('fingerprint')}，按清单计算 {fingerprint(hashes)}）")
    if RESULTS not in contents:
        return Verification(listed, problems + [f"{RESULTS}：存档中没有"])
    try:
        recomputed = json.loads(results_bytes(recompute(int(listed["year"]), contents, progress)))
    except ValueError as exc:
        return Verification(listed, problems + [f"重新计算失败：{exc}"])
    found = differences(json.loads(contents[RESULTS]), recomputed, RESULTS)
    if found:
        shown = found[:SHOWN_DIFFERENCES]
        more = len(found) - len(shown)
        problems += shown + ([f"……另有 {more} 处不同"] if more else [])
    return Verification(listed, problems)


# Versions ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Move:
    """A prefecture whose rank or composite differs between two versions."""
    code: str
    name: str
    old_rank: int | None
    new_rank: int | None
    old_composite: float | None
    new_composite: float | None

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost (negative)."""
        return None if self.old_rank is None or self.new_rank is None else self.old_rank - self.new_rank


def moves(old: Evaluation, new: Evaluation) -> list[Move]:
    """Every prefecture whose rank or composite (to two places) changed from ``old`` to ``new``,
    in the new order; one present in only one of them too."""
    found = []
    codes = [p.code for p in new.prefectures] + [p.code for p in old.prefectures if new.by_code(p.code) is None]
    for code in codes:
        before, after = old.by_code(code), new.by_code(code)
        if before and after and before.rank == after.rank and round(before.composite, 2) == round(after.composite, 2):
            continue
        found.append(Move(code, (after or before).name, before and before.rank, after and after.rank,
                          before and before.composite, after and after.composite))
    return found
