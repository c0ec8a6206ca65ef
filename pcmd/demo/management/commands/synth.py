"""`pcmd synth --scale commune|province|national --seed N`: synthetic benchmark data, fast.

Writes villages, agencies, inspection teams and five years of records (2022 to today) of every
app on the real org-unit tree (`pcmd load_orgunits` first): national volumes by default
(10 million awareness activities, a million inspections, half a million tips ...), a province's
share at `province` (Tỉnh Thanh Hóa), a commune's at `commune` (Xã Hoằng Giang and the communes
it took over on 1/7/2025). `--factor 0.1` shrinks every volume; `--events N` and the like set one.
`--clear` first removes what an earlier run wrote (alone, it only removes); without it a second
run is refused. The generator: pcmd.demo.synth.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from pcmd.demo.synth import (
    SCALES,
    VOLUME_NAMES,
    SynthRefused,
    TableStat,
    synth_clear,
    synth_run,
    synth_universe,
    synth_volumes,
)


def _n(value: float) -> str:
    """Vietnamese digit grouping: 1.234.567."""
    return f"{round(value):,}".replace(",", ".")


def _s(seconds: float) -> str:
    return f"{seconds:.1f}".replace(".", ",")


class _Bars:
    """One tqdm bar per table, on a terminal only (disable=None), never in a CI log."""

    def __init__(self, quiet: bool) -> None:
        self.disable: bool | None = True if quiet else None

    @contextmanager
    def table(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        bar = tqdm(
            total=total or None, desc=label, unit=" dòng", unit_scale=True, leave=False,
            disable=self.disable, file=sys.stderr,
        )  # fmt: skip
        try:
            yield bar.update
        finally:
            bar.close()


class Command(BaseCommand):
    help = _(
        "Tạo dữ liệu tổng hợp để đo hiệu năng (thôn, cơ quan, 5 năm hồ sơ của mọi phân hệ) ở quy "
        "mô xã, tỉnh hoặc toàn quốc; --clear xóa dữ liệu tổng hợp cũ trước."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, help=_("Quy mô: xã, tỉnh hoặc toàn quốc."))
        parser.add_argument("--seed", type=int, default=1, help=_("Hạt giống ngẫu nhiên."))
        parser.add_argument(
            "--factor", type=float, default=1.0,
            help=_("Nhân mọi khối lượng với hệ số này (ví dụ 0,1 để thử nhanh)."),
        )  # fmt: skip
        for name in VOLUME_NAMES:
            parser.add_argument(
                f"--{name.replace('_', '-')}", type=int, dest=name, metavar="N",
                help=_("Số bản ghi (thay cho khối lượng mặc định)."),
            )  # fmt: skip
        parser.add_argument(
            "--clear", action="store_true",
            help=_("Xóa dữ liệu tổng hợp của lần chạy trước (trước khi tạo mới, nếu có --scale)."),
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        scale, clear = options["scale"], options["clear"]
        if not scale and not clear:
            raise CommandError(
                _("Hãy chọn --scale commune|province|national (hoặc --clear để chỉ xóa).")
            )
        if options["factor"] <= 0:
            raise CommandError(_("--factor phải lớn hơn 0."))
        quiet = options["verbosity"] == 0
        bars = _Bars(quiet)
        try:
            if clear:
                removed = synth_clear(reporter=bars)
                if not quiet:
                    self._print(_("Đã xóa dữ liệu tổng hợp:"), removed, _("Tổng số dòng đã xóa"))
            if not scale:
                return
            overrides = {name: options.get(name) for name in VOLUME_NAMES}
            if not quiet:
                volumes = synth_volumes(
                    synth_universe(scale), factor=options["factor"], overrides=overrides
                )
                planned = ", ".join(f"{k}={_n(v)}" for k, v in asdict(volumes).items())
                self.stdout.write(
                    _("Quy mô %(scale)s, hạt giống %(seed)d: %(planned)s.")
                    % {"scale": scale, "seed": options["seed"], "planned": planned}
                )
            result = synth_run(
                scale=scale, seed=options["seed"], factor=options["factor"],
                overrides=overrides, reporter=bars,
            )  # fmt: skip
        except SynthRefused as exc:
            raise CommandError(str(exc)) from exc
        if not quiet:
            self._print(_("Đã tạo:"), result.tables, _("Tổng"), seconds=result.seconds)

    def _print(
        self, title: str, stats: list[TableStat], total_label: str, seconds: float | None = None
    ) -> None:
        self.stdout.write(title)
        width = max([len(t.label) for t in stats] + [len(total_label)])
        for t in stats:
            self.stdout.write(
                f"  {t.label:<{width}}  {_n(t.rows):>12} {_('dòng')}  {_s(t.seconds):>7} "
                f"{_('giây')}  {_n(t.rate):>9} {_('dòng/giây')}"
            )
        rows = sum(t.rows for t in stats)
        elapsed = seconds if seconds is not None else sum(t.seconds for t in stats)
        rate = rows / elapsed if elapsed > 0 else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"  {total_label:<{width}}  {_n(rows):>12} {_('dòng')}  {_s(elapsed):>7} "
                f"{_('giây')}  {_n(rate):>9} {_('dòng/giây')}"
            )
        )
