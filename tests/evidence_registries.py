"""A stand-in for Crossref, NCBI E-utilities and ClinicalTrials.gov on this machine: a real HTTP
server answering with the services' documented response shapes (recorded examples in
tests/data/evidence/), which tests point the settings at. It can also be told to misbehave."""

import copy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).parent / "data" / "evidence"


def recorded(name):
    return json.loads((DATA / name).read_text())


class Registries(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlsplit(self.path)
        service, _, rest = url.path.lstrip("/").partition("/")
        self.server.requests.append((time.monotonic(), service, self.headers.get("User-Agent", "")))
        trouble = self.server.trouble.get(service, [])
        if trouble:
            misbehaviour = trouble.pop(0)
            if misbehaviour == "hang":
                self.server.release.wait(timeout=30)
                return
            if misbehaviour == "not json":
                return self.answer(200, b"<html>Service temporarily unavailable</html>", "text/html")
            if misbehaviour == "wrong shape":
                return self.answer_json({"status": "ok", "message": {"unexpected": True}, "result": {}})
            return self.answer(
                misbehaviour, b"", "text/plain", retry_after="1" if misbehaviour == 429 else None
            )
        record = getattr(self, f"answer_{service}")(rest, parse_qs(url.query))
        if record is None:
            return self.answer(404, b"Resource not found.", "text/plain")
        return self.answer_json(record)

    def answer_crossref(self, path, query):
        if path == "works":  # notices pointing at a DOI: ?filter=updates:{doi}
            doi = query["filter"][0].removeprefix("updates:").lower()
            notices = self.server.notices.get(doi, [])
            listing = recorded("crossref_notices.json")
            listing["message"].update(items=notices, **{"total-results": len(notices)})
            return listing
        doi = unquote(path.removeprefix("works/")).lower()
        if doi in self.server.missing:
            return None
        return {**recorded("crossref_work.json"), "message": self.server.works.get(doi) or work(doi)}

    def answer_eutils(self, path, query):
        pmid = query["id"][0]
        if pmid in self.server.missing:
            return json.loads((DATA / "pubmed_not_found.json").read_text().replace("PLACEHOLDER", pmid))
        return {
            "header": {"type": "esummary", "version": "0.3"},
            "result": {"uids": [pmid], pmid: summary(pmid, self.server.pubmed.get(pmid))},
        }

    def answer_ctgov(self, path, query):
        if path == "studies":  # a search: ?query.cond=…&query.intr=…&filter.overallStatus=RECRUITING
            self.server.searches.append(query)
            studies = self.server.recruiting.get(query["query.cond"][0], [])
            listed = studies[: int(query["pageSize"][0])]
            answer = {"studies": listed}
            if query.get("countTotal") == ["true"]:
                answer["totalCount"] = len(studies)
            return answer
        nct_id = path.removeprefix("studies/")
        if nct_id in self.server.missing:
            return None
        return self.server.trials.get(nct_id) or trial(nct_id)

    def answer_json(self, record):
        self.answer(200, json.dumps(record).encode(), "application/json")

    def answer(self, status, body, content_type, retry_after=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if retry_after:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def work(doi, **changes):
    """Crossref's record of `doi`: the recorded example under that DOI, with `changes`."""
    return {**recorded("crossref_work.json")["message"], "DOI": doi, **changes}


def retraction_notice_for(doi):
    """A Crossref record of a notice whose `update-to` names `doi` (an expression of concern)."""
    item = copy.deepcopy(recorded("crossref_notices.json")["message"]["items"][0])
    item["update-to"][0]["DOI"] = doi
    return item


def summary(pmid, changes=None):
    """PubMed's esummary record of `pmid`: the recorded example under that ID, with `changes`."""
    record = recorded("pubmed_esummary.json")["result"]["34687634"]
    return {**record, "uid": pmid, **(changes or {})}


def trial(nct_id, status="COMPLETED", **status_module):
    """ClinicalTrials.gov's study record for `nct_id`, with its overall status and status fields."""
    study = recorded("clinicaltrials_study.json")
    study["protocolSection"]["identificationModule"]["nctId"] = nct_id
    study["protocolSection"]["statusModule"].update(overallStatus=status, **status_module)
    return study


def recruiting_study(nct_id, title, phases=("PHASE2",), sponsor="University of Genova", countries=("Italy",)):
    """ClinicalTrials.gov's record of a recruiting study as a search answers it, with only the fields
    the list asks for (fields=NCTId,BriefTitle,Phase,LeadSponsorName,LocationCountry): one location
    per country, as the registry gives one per site."""
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct_id, "briefTitle": title},
            "designModule": {"phases": list(phases)},
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": sponsor}},
            "contactsLocationsModule": {"locations": [{"country": country} for country in countries]},
        }
    }


def closed_port_url():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{closed.getsockname()[1]}"


def point_settings_at(settings, base_url):
    """The registries' settings at a stand-in on this machine, which the site may then ask."""
    settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES = [urlsplit(base_url).netloc]
    settings.CROSSREF_API_URL = f"{base_url}/crossref"
    settings.NCBI_EUTILS_URL = f"{base_url}/eutils"
    settings.CLINICALTRIALS_API_URL = f"{base_url}/ctgov"
    settings.EVIDENCE_SERVICE_TIMEOUT = 0.5
    settings.EVIDENCE_SERVICE_RETRY_DELAY = 0.05


def start_registries():
    """The three services on a local port. Set `works`, `notices`, `pubmed`, `trials`, `recruiting`
    or `missing` to change what they hold, `trouble[service]` to a list of misbehaviours to answer with first."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Registries)
    server.daemon_threads = True
    server.requests = []
    server.trouble = {}
    server.works, server.notices, server.pubmed, server.trials = {}, {}, {}, {}
    server.missing = set()
    # Searches for recruiting trials: the studies found, by condition term; the queries asked.
    server.recruiting, server.searches = {}, []
    server.release = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    return server


def stop_registries(server):
    server.release.set()
    server.shutdown()
    server.server_close()
