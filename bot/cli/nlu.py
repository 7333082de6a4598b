"""``youthbot nlu``: train, parse one text, evaluate on a file."""

import json
from pathlib import Path
from typing import Annotated

import typer

from bot import logs
from bot.cli.common import run_async
from bot.config import load_settings

nlu_app = typer.Typer(no_args_is_help=True)


@nlu_app.command("train")
def nlu_train() -> None:
    """Train the embedded classifier on nlu/data and keep it where the settings say."""
    from nlu.embedded import model_path, save, train

    settings = load_settings()
    logs.setup(settings.log_level, secrets=settings.secrets())
    classifier = train()
    path = model_path(settings.nlu_model_dir)
    save(classifier, path)
    typer.echo(f"model saved: {path}")


@nlu_app.command("parse")
def nlu_parse(text: str) -> None:
    """Parse one text; print JSON shaped like a Rasa server's /model/parse answer."""
    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())

    async def main() -> dict[str, object]:
        from bot.bootstrap import build_nlu

        nlu = build_nlu(settings)
        try:
            return (await nlu.parse(text)).as_rasa()
        finally:
            if hasattr(nlu, "close"):
                await nlu.close()

    typer.echo(json.dumps(run_async(main), ensure_ascii=False, indent=2))


@nlu_app.command("test")
def nlu_test(
    file: Path,
    report: Annotated[Path | None, typer.Option(help="Where to write the JSON report.")] = None,
) -> None:
    """Evaluate on a Rasa YAML file; print accuracy, macro-F1 and entity micro-F1; write the
    full report (intents as Rasa's intent_report.json, entity scores under ``entities``)."""
    from nlu.embedded import load_or_train
    from nlu.evaluate import MICRO, entity_report, intent_report
    from nlu.training_data import load_examples

    settings = load_settings()
    logs.setup("WARNING", secrets=settings.secrets())
    nlu = load_or_train(settings.nlu_model_dir)
    examples = load_examples(file)
    parses = [nlu.parse_now(e.text) for e in examples]
    result = intent_report(examples, nlu.parse_now, parses)
    result["entities"] = entity_report(examples, parses)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    macro = result["macro avg"]
    typer.echo(
        f"accuracy {result['accuracy']:.4f}  macro-F1 {macro['f1-score']:.4f}  "
        f"urgent+smuggling recall {result['safety_recall']:.4f}  "
        f"entity micro-F1 {result['entities'][MICRO]['f1-score']:.4f}  "
        f"examples {int(macro['support'])}"
    )
