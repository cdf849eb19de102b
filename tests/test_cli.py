"""The ``investenv`` command: every command has help; demo and import work end to end."""
import sqlalchemy as sa
from click.testing import CliRunner

from investenv.cli import main
from investenv.extensions import db
from investenv.registry.models import Enterprise

COMMANDS = [
    [], ["serve"], ["db"], ["db", "upgrade"], ["db", "downgrade"], ["db", "current"],
    ["db", "revision"], ["create-user"], ["demo"], ["import"], ["import", "enterprises"],
    ["import", "responses"], ["export"], ["export", "responses"], ["questionnaire"],
    ["import", "feedback"], ["import", "spotchecks"], ["export", "feedback"], ["export", "spotchecks"],
    ["import", "complaints"], ["export", "complaints"], ["import", "projects"], ["import", "monthly-reports"],
    ["export", "projects"], ["api-token"], ["api-token", "create"],
    ["export", "bundle"], ["rank"], ["report"], ["bulletin"], ["export", "workbook"], ["backup"], ["restore"], ["worker"],
    ["evaluation"], ["evaluation", "run"], ["evaluation", "publish"], ["evaluation", "show"], ["evaluation", "archive"],
    ["evaluation", "verify"],
    ["notify"], ["notify-contact"],
]


def test_every_command_has_chinese_help():
    runner = CliRunner()
    for command in COMMANDS:
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "Usage:" in result.output
        assert any("\u4e00" <= ch <= "\u9fff" for ch in result.output), command


def test_command_list_matches_the_documented_one():
    """A new command must be added to COMMANDS (and so to README) to pass."""
    groups = {name: cmd for name, cmd in main.commands.items()}
    listed = {tuple(c) for c in COMMANDS}
    for name, command in groups.items():
        assert (name,) in listed, name
        for sub in getattr(command, "commands", {}):
            assert (name, sub) in listed, (name, sub)


def test_import_command_is_all_or_nothing(app, run_cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "企业名称,统一社会信用代码,市州,县市区,投资方来源省份\n"
        "甲公司,91350100M000100Y43,长沙市,芙蓉区,广东省\n"
        "乙公司,91350100M000100Y44,长沙市,芙蓉区,广东省\n",
        encoding="utf-8",
    )
    result = run_cli(app, "import", "enterprises", str(bad))
    assert result.exit_code == 1
    assert "第 3 行【统一社会信用代码】" in result.output and "未写入任何数据" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 0
    good = tmp_path / "good.csv"
    good.write_text("\n".join(bad.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="gbk")
    result = run_cli(app, "import", "enterprises", str(good))
    assert result.exit_code == 0, result.output
    assert "新增 1 家" in result.output
