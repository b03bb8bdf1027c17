"""Fixtures of the unit tests that more than one module uses."""

import pytest

from dashboard import __main__ as cli


@pytest.fixture
def run(geo, monkeypatch, capsys):
    monkeypatch.setattr("dashboard.model.geography.load_geography", lambda *a, **k: geo)

    def invoke(*args):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke
