"""The official MLflow Python client, driven step by step by the harness's ClientSuite.

Usage: python driver.py <config.json>. Credentials come from MLFLOW_TRACKING_USERNAME / _PASSWORD in the environment,
the tracking URI from the config. Every step is recorded in the config's result file as it ends (the file is rewritten
after each step, so a crash or a timeout leaves every finished step on disk): name, ok, seconds, detail, error, and
skipped (why) for a step this client release cannot do: the driver adapts to the installed client's API (MLflow 2.x
and 3.x), and what a release does not have is a skip "not in client X.Y", never a failure of the stack.
The harness deletes what the run created (the experiment, its artifacts and the registered model) whatever happens here.
"""

import hashlib
import inspect
import json
import os
import platform
import shutil
import socket
import sys
import time
import traceback
from urllib.parse import urlsplit

import mlflow
import requests
from mlflow import MlflowClient
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

CONFIG = json.load(open(sys.argv[1], encoding="utf-8"))
URI = CONFIG["tracking_uri"].rstrip("/")
AUTH = (os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"])
WORK = CONFIG["work_dir"]
RESULT = {"client_version": mlflow.__version__, "python": platform.python_version(), "plan": [], "steps": [],
          "created": {}, "server_info": None}
STEP_NAMES = []
CLIENT = ".".join(mlflow.__version__.split(".")[:2])


class Skip(Exception):
    """A step that cannot be done for a reason that is no failure of the stack: it is skipped with that reason."""


class NotInClient(Skip):
    """A step, or part of one, that this client release does not offer."""

    def __str__(self):
        return f"not in client {CLIENT}: {super().__str__()}"


def save():
    tmp = CONFIG["result_file"] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(RESULT, f, indent=1)
    os.replace(tmp, CONFIG["result_file"])


def step(name, fn):
    """Runs one step; its return value is the detail. An exception fails the step, not the run; an API this client
    release does not have skips it."""
    t0 = time.monotonic()
    entry = {"name": name, "ok": False, "seconds": 0.0, "detail": "", "error": None}
    try:
        entry["detail"] = fn() or ""
        entry["ok"] = True
    except Skip as e:
        entry["skipped"] = str(e)
    except (TypeError, AttributeError) as e:
        if api_missing(e):  # the driver called an API this release spells differently (an argument or function it lacks)
            entry["skipped"] = f"not in client {CLIENT}: {type(e).__name__}: {e}"
        else:
            record_failure(entry, e)
    except Exception as e:  # the harness reports the failure; later steps still run
        record_failure(entry, e)
    entry["seconds"] = round(time.monotonic() - t0, 2)
    RESULT["steps"].append(entry)
    save()
    return entry["ok"]


def api_missing(e):
    """True when e is the client rejecting how the driver called it: a keyword or function this release does not have,
    raised at the call in this file (not from inside the client, where it would be the client's own failure)."""
    text = str(e)
    at_call = traceback.extract_tb(e.__traceback__)[-1].filename == __file__
    return at_call and (("unexpected keyword argument" in text or "positional argument" in text) if isinstance(e, TypeError)
                        else ("module 'mlflow" in text or "MlflowClient' object has no attribute" in text))


def record_failure(entry, e):
    entry["error"] = f"{type(e).__name__}: {e}"
    entry["traceback"] = "".join(traceback.format_exception(type(e), e, e.__traceback__, limit=8))


def tcp_reachable(host, port, timeout=3.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True, "connected"
    except OSError as e:
        return False, f"{type(e).__name__}: {e}"


def without_query(url):
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}{p.path}" + ("?<signature>" if p.query else "")


def write_file(path, size, seed):
    """size bytes of seeded pseudo-random content (not compressible, reproducible), returns its SHA-256."""
    digest = hashlib.sha256()
    block = hashlib.sha512(seed.encode()).digest() * (1 << 14)  # 1 MiB pattern
    counter = 0
    with open(path, "wb") as f:
        left = size
        while left > 0:
            chunk = hashlib.sha256(f"{seed}-{counter}".encode()).digest() + block
            chunk = chunk[: min(left, len(chunk))]
            f.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
            counter += 1
    return digest.hexdigest()


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def human(size):
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} B"


class Doubler(mlflow.pyfunc.PythonModel):
    """A model with no dependency beyond MLflow: doubles column x."""

    def predict(self, context, model_input, params=None):
        return model_input["x"] * 2


def main():
    mlflow.set_tracking_uri(URI)
    client = MlflowClient()
    state = {}
    files = {}  # artifact path -> sha256

    def isolation(service):
        def check():
            if service.get("url"):
                try:
                    r = requests.get(service["url"], timeout=5)
                    raise AssertionError(f"{service['url']} answered {r.status_code} from the client process: "
                                         "it can reach the store directly, so nothing here proves the client needs only nginx")
                except requests.RequestException as e:
                    return f"GET {service['url']} from the client process failed as it must: {type(e).__name__}: {e}"
            ok, why = tcp_reachable(service["host"], service["port"])
            if ok:
                raise AssertionError(f"{service['host']}:{service['port']} accepts connections from the client process")
            return f"connect {service['host']}:{service['port']} from the client process failed as it must: {why}"
        return check

    def server_info():
        t0 = time.monotonic()
        r = requests.get(URI + "/api/3.0/mlflow/server-info", auth=AUTH, timeout=30)
        seconds = time.monotonic() - t0
        # The client asks with a 3 s timeout and no retry; a slower answer makes it treat multipart as off.
        slow = f" (answered in {seconds:.1f} s: over the client's 3 s timeout, so clients may fall back to proxied transfers)" \
            if seconds > 3 else ""
        if r.status_code != 200:
            RESULT["server_info"] = {"status": r.status_code}
            return f"server-info answered {r.status_code}: the client treats multipart as disabled{slow}"
        RESULT["server_info"] = r.json()
        return json.dumps(RESULT["server_info"]) + slow

    def create_run():
        exp_id = mlflow.create_experiment(CONFIG["experiment_name"])
        RESULT["created"]["experiment_id"] = exp_id
        save()
        run = client.create_run(exp_id)
        state["run_id"] = run.info.run_id
        state["artifact_uri"] = run.info.artifact_uri
        RESULT["created"]["run_id"] = run.info.run_id
        return f"experiment {exp_id}, run {run.info.run_id}, artifact_uri {run.info.artifact_uri}"

    def tracking_data():
        run_id = state["run_id"]
        params = {"lr": "0.001", "text": "naïve 日本語 🙂"}
        tags = {"team": "harness", "note": "ünïcödé 🚀"}
        points = [("loss", 0.123456789, 0), ("loss", 1234567.891, 1), ("loss", 1e-300, 2),
                  ("acc", 1.7976931348623157e308, 2 ** 31 + 1)]
        with mlflow.start_run(run_id=run_id):
            mlflow.log_params(params)
            mlflow.set_tags(tags)
            for key, value, stp in points:
                mlflow.log_metric(key, value, step=stp)
        run = client.get_run(run_id)
        problems = []
        if run.data.params != params:
            problems.append(f"params {run.data.params} != {params}")
        for k, v in tags.items():
            if run.data.tags.get(k) != v:
                problems.append(f"tag {k}: {run.data.tags.get(k)!r} != {v!r}")
        for key in ("loss", "acc"):
            got = [(m.key, m.value, m.step) for m in client.get_metric_history(run_id, key)]
            want = [p for p in points if p[0] == key]
            if sorted(got, key=lambda m: m[2]) != want:
                problems.append(f"history of {key}: {got} != {want}")
        if problems:
            raise AssertionError("; ".join(problems))
        return f"{len(params)} params, {len(tags)} tags, {len(points)} metric points read back exactly"

    def presigned_urls():
        info = RESULT["server_info"] or {}
        down, up = info.get("multipart_downloads_enabled"), info.get("multipart_uploads_enabled")
        forced = {k: os.environ[k] for k in ("MLFLOW_ENABLE_PROXY_MULTIPART_DOWNLOAD", "MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD")
                  if k in os.environ}
        if not down and not up and not forced:
            return ("server-info advertises no multipart transfers (multipart_downloads_enabled and "
                    "multipart_uploads_enabled are false or absent): every transfer goes through the tracking URI")
        run_dir = state["artifact_uri"].split(":", 1)[1].lstrip("/")
        probe = os.path.join(WORK, "presigned-probe.txt")
        with open(probe, "w") as f:
            f.write("probe")
        client.log_artifact(state["run_id"], probe)
        unreachable, seen = [], []
        if down:
            r = requests.get(f"{URI}/api/2.0/mlflow-artifacts/presigned/{run_dir}/presigned-probe.txt", auth=AUTH, timeout=30)
            r.raise_for_status()
            url = r.json()["url"]
            seen.append(("download", url))
        if up:
            body = {"path": "presigned-probe-mpu.bin", "num_parts": 1}
            r = requests.post(f"{URI}/api/2.0/mlflow-artifacts/mpu/create/{run_dir}", json=body, auth=AUTH, timeout=30)
            r.raise_for_status()
            created = r.json()
            seen.append(("upload", created["credentials"][0]["url"]))
            requests.post(f"{URI}/api/2.0/mlflow-artifacts/mpu/abort/{run_dir}", auth=AUTH, timeout=30,
                          json={"path": "presigned-probe-mpu.bin", "upload_id": created["upload_id"]})
        for kind, url in seen:
            p = urlsplit(url)
            ok, why = tcp_reachable(p.hostname, p.port or (443 if p.scheme == "https" else 80))
            if not ok:
                unreachable.append(f"{kind} URL {without_query(url)} ({why})")
        RESULT["presigned"] = {"urls": [[k, without_query(u)] for k, u in seen], "unreachable": unreachable}
        if unreachable:
            state["presigned_broken"] = True
            raise AssertionError("the tracking server hands out presigned URLs this client cannot reach: " + "; ".join(unreachable))
        return "presigned URLs reachable from the client: " + ", ".join(f"{k} {without_query(u)}" for k, u in seen)

    def upload(size):
        def run():
            name = f"size-{size}.bin"
            path = os.path.join(WORK, name)
            files["sizes/" + name] = write_file(path, size, name)
            # The repository mlflow.log_artifact uses underneath, called directly so that the route it picks is known:
            # multipart with presigned part URLs, or one PUT through the tracking URI.
            repo = get_artifact_repository(state["artifact_uri"])
            decide = getattr(repo, "_should_multipart_upload", None)
            route = "route not reported by this client" if decide is None else (
                "multipart with presigned part URLs" if decide(path) else "one proxied PUT through the tracking URI")
            t0 = time.monotonic()
            repo.log_artifact(path, "sizes")
            seconds = time.monotonic() - t0
            os.remove(path)
            return f"{human(size)} logged in {seconds:.1f} s ({route})"
        return run

    def nested():
        root = os.path.join(WORK, "nested")
        layout = {"a/b/c.txt": 10, "a/b/deeper/d.bin": 4096, "a/e f.txt": 3, "ü/ß 日本.txt": 5, "empty.txt": 0}
        written = {}
        for rel, size in layout.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            written["nested/" + rel] = write_file(path, size, rel)
        client.log_artifacts(state["run_id"], root, "nested")
        files.update(written)
        shutil.rmtree(root)
        listed = sorted(f.path for f in client.list_artifacts(state["run_id"], "nested/a/b"))
        if listed != ["nested/a/b/c.txt", "nested/a/b/deeper"]:
            raise AssertionError(f"list_artifacts(nested/a/b) = {listed}")
        return f"{len(layout)} files in nested directories logged; list_artifacts shows the tree"

    def log_and_load_model():
        kwargs = {"python_model": Doubler(), "pip_requirements": [f"mlflow=={mlflow.__version__}"]}
        kwargs["name" if "name" in inspect.signature(mlflow.pyfunc.log_model).parameters else "artifact_path"] = "model"
        with mlflow.start_run(run_id=state["run_id"]):
            info = mlflow.pyfunc.log_model(**kwargs)
        state["model_uri"] = info.model_uri
        loaded = mlflow.pyfunc.load_model(info.model_uri)
        import pandas as pd
        out = list(loaded.predict(pd.DataFrame({"x": [1.5, -2.0]})))
        if out != [3.0, -4.0]:
            raise AssertionError(f"predict of the loaded model gave {out}, expected [3.0, -4.0]")
        return f"logged {info.model_uri}, loaded it back, predict([1.5, -2.0]) = {out}"

    def register_and_alias():
        name = CONFIG["model_name"]
        RESULT["created"]["model_name"] = name
        save()
        version = mlflow.register_model(state["model_uri"], name)
        if not hasattr(client, "set_registered_model_alias"):
            raise NotInClient(f"registered {name} version {version.version}; aliases and models:/name@alias came with MLflow 2.3")
        client.set_registered_model_alias(name, "champion", version.version)
        loaded = mlflow.pyfunc.load_model(f"models:/{name}@champion")
        import pandas as pd
        out = list(loaded.predict(pd.DataFrame({"x": [4.0]})))
        if out != [8.0]:
            raise AssertionError(f"predict of models:/{name}@champion gave {out}, expected [8.0]")
        return f"registered {name} version {version.version} (status {version.status}), loaded models:/{name}@champion"

    def download(prefix):
        def run():
            dst = os.path.join(WORK, "download-" + prefix)
            if not any(k.startswith(prefix + "/") for k in files):
                raise Skip(f"not run: nothing was logged under {prefix}/ (see the step that logs it)")
            if state.get("presigned_broken"):
                # Each file would take a minute of retries against the unreachable URLs: one real attempt shows what
                # the client says, the rest is not run.
                one = next(k for k in files if k.startswith(prefix + "/"))
                mlflow.artifacts.download_artifacts(run_id=state["run_id"], artifact_path=one, dst_path=dst)
                raise AssertionError(f"downloading {one} succeeded although its presigned URL is unreachable")
            t0 = time.monotonic()
            local = mlflow.artifacts.download_artifacts(run_id=state["run_id"], artifact_path=prefix, dst_path=dst)
            seconds = time.monotonic() - t0
            base = os.path.dirname(local.rstrip("/"))
            wrong = []
            expected = {k: v for k, v in files.items() if k.startswith(prefix + "/")}
            for rel, sha in expected.items():
                path = os.path.join(base, rel)
                got = sha256_of(path) if os.path.exists(path) else "missing"
                if got != sha:
                    wrong.append(f"{rel}: {got} != {sha}")
            shutil.rmtree(dst, ignore_errors=True)
            if wrong:
                raise AssertionError("downloaded files differ: " + "; ".join(wrong))
            return f"{len(expected)} files under {prefix}/ downloaded in {seconds:.1f} s, SHA-256 equal"
        return run

    plan = [(f"the client process cannot reach the {s['name']} directly", isolation(s)) for s in CONFIG["unreachable"]]
    plan += [("server-info through the tracking URI", server_info),
             ("create experiment and run", create_run),
             ("log_params, set_tags, log_metric read back exactly", tracking_data),
             ("presigned URLs the server hands out are reachable by the client", presigned_urls)]
    plan += [(f"log_artifact {human(s)}", upload(s)) for s in CONFIG["sizes"]]
    plan += [("log_artifacts of a nested directory", nested),
             ("log_model + load_model (pyfunc python_model)", log_and_load_model),
             ("register_model, alias, load models:/name@alias", register_and_alias),
             ("download_artifacts sizes/ and compare SHA-256", download("sizes")),
             ("download_artifacts nested/ and compare SHA-256", download("nested"))]
    RESULT["plan"] = [name for name, _ in plan]
    save()
    without_run = {"create experiment and run", "server-info through the tracking URI"}
    # Steps that would spend minutes in retries against unreachable presigned URLs (model files and large uploads).
    presigned_bound = {"log_model + load_model (pyfunc python_model)", "register_model, alias, load models:/name@alias"} | {
        name for name, _ in plan if name.startswith("log_artifact ") and name[len("log_artifact "):] == human(CONFIG["sizes"][-1])}
    for name, fn in plan:
        reason = None
        if "run_id" not in state and name not in without_run and not name.startswith("the client process"):
            reason = "not run: creating the experiment and run failed"
        elif state.get("presigned_broken") and name in presigned_bound:
            reason = "not run: it would take the presigned URLs this client cannot reach"
        if reason:
            RESULT["steps"].append({"name": name, "ok": False, "seconds": 0.0, "detail": "", "error": reason})
            save()
            continue
        step(name, fn)


if __name__ == "__main__":
    os.makedirs(WORK, exist_ok=True)
    main()
