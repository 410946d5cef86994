"""metadata.json: the bundle described in MLCommons Croissant 1.0 JSON-LD, with RAI fields.

Files are listed with sha256 and read through FileSets, so mlcroissant loads a local bundle
without any network access. It describes the files; it never embeds document text.
"""

from __future__ import annotations

from typing import Any

CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "prov": "http://www.w3.org/ns/prov#",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
ENCODINGS = {"jsonl": "application/jsonlines", "parquet": "application/x-parquet"}
SPDX_URL = "https://spdx.org/licenses/{}.html"

# (field, Croissant dataType, schema.org property it stands for, description)
DOCUMENT_FIELDS = (
    ("id", "sc:Text", None, "sha256 of the URL, first 24 hex digits"),
    ("url", "sc:URL", "sc:url", "the page's URL as fetched"),
    ("title", "sc:Text", "sc:name", "page title found by the extractor"),
    ("text", "sc:Text", "sc:text", "main text, boilerplate removed, personal data redacted"),
    ("language", "sc:Text", "sc:inLanguage", "detected language, ISO 639-1"),
    ("licence", "sc:Text", "sc:license", "SPDX id of the document's licence, or unknown"),
    ("rightsholder", "sc:Text", "sc:copyrightHolder", "rights-holder named by the page"),
    ("fetched_at", "sc:Date", "sc:dateCreated", "when it was fetched, RFC 3339 UTC"),
    ("content_sha256", "sc:Text", "sc:sha256", "sha256 of the response body as received"),
    ("provenance", "sc:Text", None, "hash of the document's provenance record"),
)
PROVENANCE_FIELDS = (
    ("hash", "sha256 of the record (canonical JSON, with prev)"),
    ("prev", "hash of the record before it; 64 zeros for the first"),
    ("url", "the URL the record is about"),
    ("time", "when the outcome was recorded, RFC 3339 UTC"),
    ("outcome", "accepted, quarantined, dropped, refused or error"),
)


def _file(rel: str, sha256: str, size: int, encoding: str, description: str) -> dict[str, Any]:
    return {
        "@type": "cr:FileObject",
        "@id": rel,
        "name": rel,
        "description": description,
        "contentUrl": rel,
        "contentSize": f"{size} B",
        "encodingFormat": encoding,
        "sha256": sha256,
    }


def _field(
    record_set: str, name: str, dtype: str, fileset: str, description: str
) -> dict[str, Any]:
    return {
        "@type": "cr:Field",
        "@id": f"{record_set}/{name}",
        "name": name,
        "description": description,
        "dataType": dtype,
        "source": {"fileSet": {"@id": fileset}, "extract": {"column": name}},
    }


def _licences(s: dict[str, Any]) -> list[str]:
    found = [str(r["licence"]) for r in s["licences"]]
    urls = [SPDX_URL.format(x) for x in found if x != "unknown"]
    if "unknown" in found or not found:
        urls.append("unknown: see each document's licence field")
    return urls


def metadata(
    s: dict[str, Any], fmt: str, data_glob: str, files: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """files: {"data": [...], "provenance": [...], "policies": [...]} as manifest entries."""
    period = s["collection_period"]
    policies = s["policies"]
    distribution = [
        *[
            _file(f["path"], f["sha256"], f["bytes"], ENCODINGS[fmt], "documents")
            for f in files["data"]
        ],
        {
            "@type": "cr:FileSet",
            "@id": "data-files",
            "name": "data-files",
            "description": "accepted documents, one record each",
            "encodingFormat": ENCODINGS[fmt],
            "includes": data_glob,
        },
        *[
            _file(f["path"], f["sha256"], f["bytes"], "application/jsonlines", "provenance log")
            for f in files["provenance"]
        ],
        {
            "@type": "cr:FileSet",
            "@id": "provenance-logs",
            "name": "provenance-logs",
            "description": "hash-chained provenance log(s): every outcome, refusals included",
            "encodingFormat": "application/jsonlines",
            "includes": "provenance/*.jsonl"
            if len(files["provenance"]) > 1
            else "provenance.jsonl",
        },
        *[
            _file(f["path"], f["sha256"], f["bytes"], "application/yaml", "crawl policy")
            for f in files["policies"]
        ],
    ]
    documents = []
    for name, dtype, equivalent, description in DOCUMENT_FIELDS:
        field = _field("documents", name, dtype, "data-files", description)
        if equivalent:
            field["equivalentProperty"] = equivalent
        documents.append(field)
    documents[-1]["references"] = {"field": {"@id": "provenance/hash"}}
    provenance = [
        _field("provenance", name, "sc:Text", "provenance-logs", description)
        for name, description in PROVENANCE_FIELDS
    ]
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": [
            "http://mlcommons.org/croissant/1.0",
            "http://mlcommons.org/croissant/RAI/1.0",
        ],
        "name": s["name"],
        "description": (
            f"{s['dataset']['documents']} web documents collected by "
            + ", ".join(s["crawler"]["agents"])
            + " for "
            + "; ".join(p["purpose"] for p in policies)
            + ", with the complete hash-chained provenance log."
        ),
        "url": next((str(p["contact"]) for p in policies if p.get("contact")), None),
        "creator": [
            {"@type": "sc:Organization", "name": str(p["token"]), "url": p.get("contact")}
            for p in policies
        ],
        "citeAs": f"{s['title']} (crawled {period['records']['from']} to "
        f"{period['records']['to']})",
        "datePublished": s["created_at"],
        "dateCreated": s["created_at"],
        "version": "1.0.0",
        "inLanguage": sorted({r["language"] for r in s["languages"]}),
        "keywords": ["web crawl", "provenance", "AI training data"],
        "license": _licences(s),
        "sdLicense": SPDX_URL.format("CC0-1.0"),
        "rai:dataCollection": "Web crawl by ccrawl. The crawler " + "; ".join(s["behaviour"]) + ".",
        "rai:dataCollectionType": ["Web Scraping"],
        "rai:dataCollectionTimeFrame": [period["records"]["from"], period["records"]["to"]],
        "rai:dataCollectionRawData": (
            "HTML pages fetched over HTTP(S); bodies are not kept, only their sha256 "
            "(content_sha256) and the extracted main text."
        ),
        "rai:dataPreprocessingProtocol": [
            "main-text extraction (trafilatura), boilerplate removed",
            "language detection (langdetect, fixed seed)",
            "exact-duplicate removal on the main text",
            "personal data redacted; pages with many credentials or much PII quarantined",
            "licence read from page signals; the policy's licence rules applied",
        ],
        "rai:personalSensitiveInformation": (
            "Personal data found in the text was redacted before inclusion; redactions by type: "
            + (", ".join(f"{k} {v}" for k, v in s["removal"]["redactions"].items()) or "none found")
            + "."
        ),
        "rai:dataUseCases": "; ".join(f"{p['purpose']} (usage {p['usage']})" for p in policies),
        "rai:dataLimitations": (
            "Only pages whose publishers did not reserve rights against this use; detected "
            "language, licence and source category are heuristics."
        ),
        "prov:wasGeneratedBy": {
            "@type": "prov:Activity",
            "prov:startedAtTime": period["records"]["from"],
            "prov:endedAtTime": period["records"]["to"],
            "prov:wasAssociatedWith": [
                {"@type": "prov:SoftwareAgent", "name": a} for a in s["crawler"]["agents"]
            ],
            "prov:used": [{"@id": f["path"]} for f in files["policies"]],
        },
        "prov:wasDerivedFrom": [{"@id": f["path"]} for f in files["provenance"]],
        "distribution": distribution,
        "recordSet": [
            {
                "@type": "cr:RecordSet",
                "@id": "documents",
                "name": "documents",
                "description": "accepted documents",
                "field": documents,
            },
            {
                "@type": "cr:RecordSet",
                "@id": "provenance",
                "name": "provenance",
                "description": "one record per outcome for a URL, refusals included",
                "key": {"@id": "provenance/hash"},
                "field": provenance,
            },
        ],
    }
