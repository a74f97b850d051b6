"""`qa eval`: run a QA test set through the real pipeline and measure it.

- `testset`: the JSON Lines format and its validating loader (`QARecord`);
- `squad`: a SQuAD-format file turned into a corpus folder and a test set;
- `metrics`: pure functions (containment, exact match, token F1, hit@k, MRR, abstention, percentiles);
- `runner`: asks every question and records what came back (`QuestionResult`);
- `summary`: aggregates results into figures, overall and per kind;
- `report`: the stdout table, the JSON file, the markdown report with its chart;
- `command`: `run_eval`, what the CLI calls.
"""
