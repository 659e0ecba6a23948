"""Write a synthetic registry file in the import layout, with known near-duplicates and their ground truth.

    manage.py make_voter_file --rows 1000000 --duplicates 0.01 --out var/voters.csv
    manage.py make_voter_file --rows 20000 --out var/voters.csv --encoding cp1251 --delimiter ';'
    manage.py make_voter_file --rows 5000 --out var/voters.xlsx --format xlsx

Addresses use the districts and mahallas in the database (run ``seed_demo`` first).
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demo.generator import demo_geography, write_voter_file


def _share(value: str) -> float:
    share = float(value)
    if not 0 <= share <= 0.5:
        raise ValueError(value)
    return share


class Command(BaseCommand):
    help = "Write a synthetic voter-registry file (CSV or XLSX) with injected near-duplicates and a ground-truth CSV."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, required=True, help="number of data rows, duplicates included")
        parser.add_argument(
            "--duplicates",
            type=_share,
            default=0.01,
            help="share of rows that are near-duplicates of other rows (0 to 0.5, default 0.01)",
        )
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument("--truth", help="ground-truth CSV (pinfl_a,pinfl_b,kind); default OUT.truth.csv")
        parser.add_argument("--seed", type=int, default=1, help="random seed (the same seed gives the same file)")
        parser.add_argument("--encoding", choices=["utf-8", "utf-8-sig", "cp1251"], default="utf-8")
        parser.add_argument("--delimiter", choices=[",", ";"], default=",")
        parser.add_argument(
            "--format", dest="fmt", choices=["csv", "xlsx"], default=None, help="default: from the file name (.xlsx), else csv"
        )
        parser.add_argument("--cyrillic", type=float, default=0.35, help="share of records written in Cyrillic")
        parser.add_argument("--minors", type=float, default=0.0, help="share of 17-year-olds (default 0)")
        parser.add_argument(
            "--start-serial",
            type=int,
            default=0,
            help="PINFL counter start: use the row count of an earlier file to get new people",
        )
        parser.add_argument("--date-style", choices=["iso", "dmy"], default="iso", help="YYYY-MM-DD or DD.MM.YYYY")
        parser.add_argument("--sex-style", choices=["MF", "uz", "ru"], default="MF", help="M/F, E/A or М/Ж")

    def handle(
        self,
        *args,
        rows,
        duplicates,
        out,
        truth,
        seed,
        encoding,
        delimiter,
        fmt,
        cyrillic,
        minors,
        start_serial,
        date_style,
        sex_style,
        **options,
    ):
        if rows < 1:
            raise CommandError("--rows must be at least 1")
        out_path = Path(out)
        fmt = fmt or ("xlsx" if out_path.suffix.lower() == ".xlsx" else "csv")
        truth_path = Path(truth) if truth else out_path.with_name(out_path.name + ".truth.csv")
        geography = demo_geography()
        if not geography:
            raise CommandError("There are no districts in the database: run seed_demo first.")
        if not out_path.parent.exists():
            raise CommandError(f"Folder {out_path.parent} does not exist.")
        started = time.perf_counter()
        try:
            counts = write_voter_file(
                out_path,
                rows,
                duplicates_share=duplicates,
                seed=seed,
                fmt=fmt,
                encoding=encoding,
                delimiter=delimiter,
                geography=geography,
                truth_path=truth_path,
                cyrillic_share=cyrillic,
                minors_share=minors,
                start_serial=start_serial,
                date_style=date_style,
                sex_style=sex_style,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        kinds = ", ".join(f"{k} {v}" for k, v in counts.items() if k not in ("rows", "duplicates"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {counts['rows']:,} rows ({counts['duplicates']:,} near-duplicates: {kinds}) to {out_path} "
                f"in {seconds:.1f} s ({counts['rows'] / max(seconds, 1e-9):,.0f} rows/s); ground truth in {truth_path}."
            )
        )
