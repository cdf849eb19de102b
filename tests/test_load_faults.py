"""Bounded runs of bench/fault_load.py: gunicorn with 4 workers, enterprises submitting while staff
log cases, and a fault in the middle; nothing confirmed may be lost or duplicated."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "fault_load.py"


@pytest.mark.parametrize("db, fault", [("sqlite", "kill"), ("postgresql", "pg-restart"), ("postgresql", "kill")])
def test_a_fault_mid_run_loses_and_duplicates_nothing(db, fault):
    run = subprocess.run([sys.executable, str(SCRIPT), "--db", db, "--fault", fault, "--enterprises", "24",
                          "--staff", "4"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert result["faults"], "the fault was injected"
    assert result["success_pages"] == result["responses_in_db"] == 24
    assert result["lost_responses"] == result["duplicated_responses"] == 0
    assert result["cases_confirmed"] > 0 and result["lost_cases"] == result["duplicated_cases"] == 0
