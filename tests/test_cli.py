"""The `qa` command line in-process (`qa.cli.main`): flags generated from the settings tree, `qa
settings`, clean errors, and `qa build` / `qa ask` on conftest's fake encoder. The same commands as
subprocesses on the real encoder are in test_ask.py, test_corpus_unseen.py and test_eval_end_to_end.py."""
from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from conftest import FAKE_ENCODER_NAME, SEEDS

from qa.cli import main
from qa.settings import Settings

COMMANDS = ["articles", "add", "remove", "build", "ask", "eval", "serve", "settings"]
QUESTION = "Cần Thơ ký Bản ghi nhớ với tỉnh Savannakhet năm nào?"


def sample_value(f, tmp_path: Path) -> str:
    """A valid value for the setting that differs from its default, as it would be typed."""
    kind = f.type.split("|")[0]
    low, high = f.meta["minimum"], f.meta["maximum"]
    if kind == "bool":
        return str(not f.default)
    if kind == "Path":
        return str(tmp_path / f.key)
    if kind == "str":
        return f"value-of-{f.key}"
    if kind == "int":
        return str((low or 0) + 1 if f.default != (low or 0) + 1 else (low or 0) + 2)
    value = 0.5 if high is None or high >= 0.5 else high / 2
    return str(value if f.default != value else value + 0.25)


def settings_rows(output: str) -> dict[str, str]:
    """`qa settings` output → {QA_VARIABLE: value shown}."""
    rows = {}
    for line in output.splitlines():
        match = re.match(r"^  (\w+)\s+= (.*?)\s+(QA_[A-Z0-9_]+)\s", line)
        if match:
            rows[match.group(3)] = match.group(2).strip()
    return rows


def help_of(command: str, capsys) -> str:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def has_flag(help_text: str, flag: str) -> bool:
    return re.search(rf"(^|[\s,\[]){re.escape(flag)}(?=[\s,=\]])", help_text) is not None


@pytest.mark.parametrize("command", COMMANDS)
def test_every_setting_has_a_flag_on_every_command(command, capsys):
    help_text = help_of(command, capsys)
    missing = [flag for f in Settings.fields() for flag in f.flags if not has_flag(help_text, flag)]
    assert missing == []
    assert not has_flag(help_text, "--no-such-flag")


def test_documented_flags_are_in_ask_help(capsys):
    help_text = help_of("ask", capsys)
    for flag in ("--corpus", "--corpus-dir", "--index-dir", "--model", "-k", "--top-k", "--host", "--port",
                 "--chunk-size", "--chunk-overlap", "--abstain-threshold", "--llm-base-url", "--json"):
        assert has_flag(help_text, flag), flag


def test_flags_reach_the_settings(qa_environment, tmp_path, capsys):
    """Every flag given at once to `qa settings`: each value is shown in force."""
    values = {f.env: sample_value(f, tmp_path) for f in Settings.fields()}
    values["QA_CHUNK_SIZE"], values["QA_CHUNK_OVERLAP"] = "600", "60"
    values["QA_STORE"], values["QA_MILVUS_COLLECTION"] = "milvus", "news_archive"  # names a store, a collection
    argv = ["settings"]
    for f in Settings.fields():
        argv += [f.flags[0], values[f.env]]

    assert main(argv) == 0

    shown = settings_rows(capsys.readouterr().out)
    assert set(shown) == {f.env for f in Settings.fields()}
    for env, value in values.items():
        expected = "***" if env == "QA_LLM_API_KEY" else value
        assert shown[env] == expected, env


def test_short_aliases_and_environment(qa_environment, tmp_path, capsys):
    qa_environment.setenv("QA_TOP_K", "9")
    qa_environment.setenv("QA_PORT", "8080")

    assert main(["settings", "-k", "4", "--corpus", str(tmp_path), "--model", "some/model"]) == 0

    shown = settings_rows(capsys.readouterr().out)
    assert shown["QA_TOP_K"] == "4"  # the flag beats the environment
    assert shown["QA_PORT"] == "8080"  # the environment beats the default
    assert shown["QA_CORPUS_DIR"] == str(tmp_path) and shown["QA_EMBED_MODEL"] == "some/model"


def test_settings_command_prints_every_section(qa_environment, capsys):
    qa_environment.setenv("QA_LLM_API_KEY", "sk-secret-123")

    assert main(["settings"]) == 0

    out = capsys.readouterr().out
    headers = re.findall(r"^\[(\w+)\]$", out, flags=re.MULTILINE)
    assert headers == ["corpus", "index", "retrieval", "answering", "llm", "serving"]
    for f in Settings.fields():
        assert f.env in out and f.meta["help"] in out
    assert "sk-secret-123" not in out


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["settings"], {"QA_TOP_K": "abc"}, "error: QA_TOP_K='abc' is not a valid int"),
        (["settings"], {"QA_TOP_K": "0"}, "error: QA_TOP_K=0 is out of range"),
        (["settings", "--top-k", "abc"], {}, "error: --top-k='abc' is not a valid int"),
        (["ask", "x", "--chunk-overlap", "2000"], {}, "error: QA_CHUNK_OVERLAP=2000 must be smaller than"),
    ],
)
def test_bad_setting_is_a_one_line_usage_error(qa_environment, capsys, argv, env, expected):
    for name, value in env.items():
        qa_environment.setenv(name, value)

    assert main(argv) == 2

    captured = capsys.readouterr()
    assert captured.err.startswith(expected) and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err and captured.out == ""


def test_serving_on_a_port_in_use_is_a_one_line_error_before_any_indexing(qa_environment, capsys):
    """Regression: Gradio's OSError traceback, after the index had been loaded or built."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: QA_HOST/QA_PORT 127.0.0.1:{port} cannot be served")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_build_then_ask_on_the_fake_encoder(qa_environment, tmp_path, capsys):
    flags = ["--index-dir", str(tmp_path), "--corpus", str(SEEDS), "--model", FAKE_ENCODER_NAME]

    assert main(["ask", QUESTION, *flags]) == 0  # `qa ask` prepares the index it needs
    capsys.readouterr()
    assert main(["build", *flags]) == 0
    summary = capsys.readouterr().out
    assert FAKE_ENCODER_NAME in summary and "5 articles" in summary

    assert main(["ask", QUESTION, *flags, "-k", "3", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert len(answer["passages"]) == 3 and answer["query"] == QUESTION

    assert main(["ask", "   ", *flags]) == 2
    assert "empty" in capsys.readouterr().err
