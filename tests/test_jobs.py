"""Long work runs outside the request workers: a real huey worker on the test's own database makes
the file, the page shows progress and then the download; one user cannot fill the queue."""
import time

import pytest

from investenv.jobs.models import Job
from investenv.jobs.queue import MAX_ACTIVE_PER_USER


@pytest.fixture
def queued_app(app_factory):
    """An app whose jobs really queue (not run at once), with a worker thread of its own."""
    application = app_factory(JOBS_IMMEDIATE=False)
    consumer = application.extensions["jobs"].huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    started = []

    def start():
        consumer.start()
        started.append(True)

    with application.app_context():
        yield application, start
        if started:
            consumer.stop(graceful=True)
        application.extensions["jobs"].huey.storage.close()


def _wait(client, location, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(location).get_data(as_text=True)
        if "已完成" in page or "未能完成" in page:
            return page
        time.sleep(0.5)
    raise AssertionError("the job did not finish")


def test_a_worker_makes_the_paper_forms_and_the_owner_downloads_them(queued_app, make_user, make_round, login):
    app, start_worker = queued_app
    survey_round = make_round()
    clerk, other = make_user("centre"), make_user("centre")
    client = app.test_client()
    login(client, clerk)
    response = client.post(f"/survey/rounds/{survey_round.id}/paper.pdf",
                           data={"prefecture": "430100", "start": "1", "count": "3"})
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    location = response.headers["Location"]
    waiting = client.get(location).get_data(as_text=True)
    assert "排队中" in waiting and 'http-equiv="refresh"' in waiting
    start_worker()
    page = _wait(client, location)
    assert "已完成" in page
    job = Job.query.one()
    with client.get(f"/jobs/{job.id}/file") as download:
        assert download.status_code == 200 and download.data.startswith(b"%PDF")
    stranger = app.test_client()
    login(stranger, other)
    assert stranger.get(location).status_code == 404
    assert stranger.get(f"/jobs/{job.id}/file").status_code == 404


def test_one_user_cannot_fill_the_queue_and_asking_twice_returns_the_same_job(queued_app, make_user, make_round, login):
    app, _ = queued_app
    survey_round = make_round()
    client = app.test_client()
    login(client, make_user("centre"))

    def ask(start):
        return client.post(f"/survey/rounds/{survey_round.id}/paper.pdf",
                           data={"prefecture": "430100", "start": str(start), "count": "1"})

    first = ask(1)
    assert ask(1).headers["Location"] == first.headers["Location"]  # the same job, not a second one
    for start in range(2, MAX_ACTIVE_PER_USER + 1):
        assert ask(start).status_code == 302
    refused = ask(99)
    assert refused.status_code == 400 and "排队或处理中" in refused.get_data(as_text=True)
    assert Job.query.count() == MAX_ACTIVE_PER_USER


def test_a_failing_job_says_why_and_the_worker_goes_on(queued_app, make_user, login):
    app, start_worker = queued_app
    client = app.test_client()
    login(client, make_user("admin"))
    response = client.post("/evaluation/2030/downloads/report")  # a year without any data
    start_worker()
    page = _wait(client, response.headers["Location"])
    assert "未能完成" in page and "2030" in page
