"""The usage report for the city as files: CSV, JSON and DCAT-AP.de metadata, in one folder.

The report's tables come from kiosk.core.stats.monthly: whole days or calendar months of months
that are over, every figure from its month's protected table (primary and secondary suppression
and an exact audit), so no file ever holds a count from 1 to k−1, no hidden count can be
recomputed from one export, and none from comparing exports either. There are no totals across
periods: they would differ between exports of different spans.

An export is one folder, ``probierladen-usage-<from>_<to>/``, with three files:

``usage-statistics.csv`` (UTF-8, comma separated, one line per published value). Columns:
``table`` (see TABLES), ``period`` (day or month), ``period_start`` and ``period_end``
(YYYY-MM-DD), ``category`` (the dimension's value; ``total`` for the period's total, ``all`` for
tables without a dimension), ``count`` (empty when suppressed), ``suppressed`` (1 when the count
is withheld, else 0).

``usage-statistics.json``: the same tables as periods × values with each period's total,
suppressed values as ``null``, plus the dataset's description and its periods.

``dcat-ap-de.ttl``: DCAT-AP.de metadata in Turtle (title, description, publisher, licence
dl-de/by-2-0, temporal and spatial coverage, the two files as distributions) for the open-data
portal's harvester.

The folder is written under a temporary name and renamed into place when complete, so a failed
export leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.core.stats.monthly import Report
from kiosk.core.stats.periods import month_end, months_between
from kiosk.storage.files import fsync_directory, write_atomically

CSV_NAME = "usage-statistics.csv"
JSON_NAME = "usage-statistics.json"
DCAT_NAME = "dcat-ap-de.ttl"
CSV_COLUMNS = ("table", "period", "period_start", "period_end", "category", "count", "suppressed")
LICENCE_URI = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
MUNICIPALITY_URI = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"


@dataclass(frozen=True)
class DatasetInfo:
    """What the DCAT-AP.de description says about the dataset and who publishes it."""

    site_name: str
    publisher: str
    publisher_uri: str
    municipality_key: str  # Amtlicher Gemeindeschlüssel, e.g. 16053000 for Jena
    publish_url: str  # where the files will be published; '' = the export folder itself
    contact_email: str = ""


class ExportError(Exception):
    """The export could not be written; nothing was left behind.

    ``missing_folder`` says whether the target folder does not exist (else it could not be
    written), so a screen can say which in the staff's language.
    """

    def __init__(self, message: str, *, missing_folder: bool = False) -> None:
        super().__init__(message)
        self.missing_folder = missing_folder


def _period_end(start: str, period: str) -> str:
    return start if period == "day" else month_end(date.fromisoformat(start)).isoformat()


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for spec, table in report.tables:
        n_cols = len(table.columns)
        for r, start in enumerate(table.rows):
            for c in range(n_cols + 1):
                if c == n_cols and n_cols == 1:
                    continue  # a one-column table's total repeats its only value
                value = table.value(r, c)
                writer.writerow(
                    [
                        spec.name,
                        report.period,
                        start,
                        _period_end(start, report.period),
                        table.columns[c] if c < n_cols else "total",
                        "" if value is None else value,
                        0 if value is not None else 1,
                    ]
                )
    return out.getvalue()


def report_json(report: Report, info: DatasetInfo) -> str:
    tables = []
    for spec, table in report.tables:
        n_cols = len(table.columns)
        tables.append(
            {
                "name": spec.name,
                "title": spec.title,
                "dimension": spec.dimension or None,
                "columns": list(table.columns),
                "rows": [
                    {
                        "period_start": start,
                        "period_end": _period_end(start, report.period),
                        "values": {table.columns[c]: table.value(r, c) for c in range(n_cols)},
                        "total": table.value(r, n_cols),
                    }
                    for r, start in enumerate(table.rows)
                ],
            }
        )
    document = {
        "title": f"{info.site_name}: usage statistics",
        "publisher": info.publisher,
        "licence": LICENCE_URI,
        "temporal": {"start": report.first.isoformat(), "end": report.last.isoformat()},
        "period": report.period,
        "periods": {
            "granularity": report.period,
            "whole_periods": True,
            "months": [month.isoformat() for month in months_between(report.first, report.last)],
            "rule": "whole days or calendar months, published once the month is over; every "
            "figure comes from its month's protected table and is the same in every export",
        },
        "suppression": {
            "k": report.k,
            "rule": "counts from 1 to k-1 and complementary cells are null",
        },
        "tables": tables,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def report_dcat(report: Report, info: DatasetInfo, folder_uri: str) -> str:
    """DCAT-AP.de metadata (Turtle) describing the dataset and its CSV and JSON files."""
    # rdflib takes ~40 ms to import: loaded for this export only, not with the statistics.
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

    dcatde = Namespace("http://dcat-ap.de/def/dcatde/")
    vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
    base = info.publish_url or folder_uri
    if not base.endswith("/"):
        base += "/"
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("dcatde", dcatde)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", vcard)
    dataset = URIRef(f"{base}dataset")
    publisher = URIRef(info.publisher_uri) if info.publisher_uri else BNode()
    licence = URIRef(LICENCE_URI)
    span = f"{report.first.isoformat()} – {report.last.isoformat()}"
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal(f"{info.site_name}: Nutzungsstatistik", lang="de")))
    graph.add((dataset, DCTERMS.title, Literal(f"{info.site_name}: usage statistics", lang="en")))
    graph.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                f"Anonymisierte Nutzungszahlen des Kiosks ({span}): Sitzungen, Sprachen, "
                "Lernmodule, Gerätebuchungen und Beratungen je "
                f"{ {'day': 'Tag', 'month': 'Kalendermonat'}[report.period] }, nur ganze "
                "Zeiträume abgeschlossener Monate. "
                f"Zahlen von 1 bis {report.k - 1} sind unterdrückt, ebenso Zellen, aus denen "
                "sie sich errechnen ließen, auch im Vergleich mit anderen Exporten.",
                lang="de",
            ),
        )
    )
    graph.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                f"Anonymised usage counts of the kiosk ({span}): sessions, languages, learning "
                f"modules, device bookings and consultations per {report.period}, whole periods "
                f"of months that are over only. Counts from 1 to {report.k - 1} are suppressed, "
                "as are cells they could be recomputed from, also by comparing exports.",
                lang="en",
            ),
        )
    )
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(info.publisher)))
    graph.add((dataset, DCTERMS.license, licence))
    graph.add((dataset, dcatde.licenseAttributionByText, Literal(info.publisher)))
    graph.add(
        (
            dataset,
            DCAT.theme,
            URIRef("http://publications.europa.eu/resource/authority/data-theme/EDUC"),
        )
    )
    graph.add((dataset, DCAT.keyword, Literal("Digitale Bildung", lang="de")))
    graph.add((dataset, DCAT.keyword, Literal("Nutzungsstatistik", lang="de")))
    temporal = BNode()
    graph.add((dataset, DCTERMS.temporal, temporal))
    graph.add((temporal, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((temporal, DCAT.startDate, Literal(report.first.isoformat(), datatype=XSD.date)))
    graph.add((temporal, DCAT.endDate, Literal(report.last.isoformat(), datatype=XSD.date)))
    # How finely the figures are counted (DCAT 2): whole days or whole calendar months.
    resolution = {"day": "P1D", "month": "P1M"}[report.period]
    graph.add((dataset, DCAT.temporalResolution, Literal(resolution, datatype=XSD.duration)))
    if info.municipality_key:
        place = URIRef(MUNICIPALITY_URI + info.municipality_key)
        graph.add((dataset, DCTERMS.spatial, place))
        graph.add((dataset, dcatde.politicalGeocodingURI, place))
        graph.add(
            (
                dataset,
                dcatde.politicalGeocodingLevelURI,
                URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/municipality"),
            )
        )
    if info.contact_email:
        contact = BNode()
        graph.add((dataset, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, vcard.Organization))
        graph.add((contact, vcard.fn, Literal(info.publisher)))
        graph.add((contact, vcard.hasEmail, URIRef(f"mailto:{info.contact_email}")))
    formats = (
        (CSV_NAME, "CSV", "text/csv", "Nutzungsstatistik (CSV)"),
        (JSON_NAME, "JSON", "application/json", "Nutzungsstatistik (JSON)"),
    )
    for name, file_type, media, title in formats:
        distribution = URIRef(f"{base}{name}")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(title, lang="de")))
        graph.add((distribution, DCAT.accessURL, distribution))
        graph.add((distribution, DCAT.downloadURL, distribution))
        graph.add(
            (
                distribution,
                DCTERMS.format,
                URIRef(f"http://publications.europa.eu/resource/authority/file-type/{file_type}"),
            )
        )
        graph.add((distribution, DCAT.mediaType, Literal(media)))
        graph.add((distribution, DCTERMS.license, licence))
    return str(graph.serialize(format="turtle"))


def folder_name(first: date, last: date) -> str:
    return f"probierladen-usage-{first.isoformat()}_{last.isoformat()}"


def write_export(
    report: Report,
    info: DatasetInfo,
    out: Path,
    progress: Callable[[float], None] = lambda _done: None,
    *,
    name: str | None = None,
) -> Path:
    """Write the three files into a new folder under ``out``; returns the folder.

    The folder is ``name`` (default: folder_name() of the period), with -2, -3 … when taken.
    Raises ExportError (and leaves nothing) when ``out`` cannot be written.
    """
    if not out.is_dir():
        raise ExportError(f"{out}: no such folder", missing_folder=True)
    base = name or folder_name(report.first, report.last)
    final = out / base
    number = 1
    while final.exists():
        number += 1
        final = out / f"{base}-{number}"
    try:
        partial = Path(tempfile.mkdtemp(prefix=".usage-export-", dir=out))
    except OSError as error:
        raise ExportError(f"{out}: cannot write here ({error.strerror or error})") from error
    try:
        progress(0.1)
        files = (
            (CSV_NAME, report_csv(report)),
            (JSON_NAME, report_json(report, info)),
            (DCAT_NAME, report_dcat(report, info, final.resolve().as_uri())),
        )
        for number, (name, text) in enumerate(files, start=1):
            # Anonymised counts for publication: readable by whoever receives the folder.
            write_atomically(partial / name, text.encode("utf-8"), mode=0o644)
            progress(0.1 + 0.8 * number / len(files))
        partial.chmod(0o755)
        partial.rename(final)
        fsync_directory(out)  # the rename survives a power cut, or the export is not reported
        progress(1.0)
    except OSError as error:
        with contextlib.suppress(OSError):
            shutil.rmtree(partial)
        raise ExportError(
            f"{out}: the export could not be written ({error.strerror or error})"
        ) from error
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(partial)
        raise
    return final
