"""Experiment (not adopted, model card of pii-names-crf): the names of the training sets
themselves as a gazetteer feature of the name CRF, jackknifed.

Each name span of >= 2 characters in the fit part of CLUENER/Weibo/Resume train is counted
(annotated count, and how often the string occurs in the training text at all); a training
sentence of fit slice K sees the counts of the other nine slices only (so the feature is
not a perfect predictor in training), the held-out sentences see them all.  Features: the
longest-first match (up to 10 characters) as B/I with a bucket of the annotated share
(>= 0.6, >= 0.25, less) and of the count (1, 2+), and the B/I of its neighbours, added to
``names_crf.char_features``.

    python -m corpora.pii.exp_train_gazetteer train --out /tmp/tn_fit.crfsuite   # ~6 min, one core
    python -m corpora.pii.exp_train_gazetteer eval --crf /tmp/tn_fit.crfsuite     # whole analyzer, held-out 10%
    python -m corpora.pii.exp_train_gazetteer evalbase --crf <a --part fit CRF>  # the same without the feature

No counts ship: the sets are research-only, and the experiment was not adopted.
"""
import pickle
import time
from collections import Counter
from pathlib import Path
import pycrfsuite
from corpora.pii import ner_data as nd
from scanner.checks.pii import names_crf as nc
from scanner.text.normalize import normalize
from scanner.resources import shared_data_dir

D = shared_data_dir() / "ner"
MAXLEN = 10

def spans(tags):
    out = []; i = 0
    while i < len(tags):
        if tags[i] == "B" or (tags[i] == "I" and (i == 0 or tags[i-1] == "O")):
            j = i + 1
            while j < len(tags) and tags[j] == "I": j += 1
            out.append((i, j)); i = j
        else: i += 1
    return out

def norm(text):
    t = normalize(text).text
    return t if len(t) == len(text) else text

def collect(part_filter):
    """{set: [(text_norm, tags, fold)]}"""
    out = {}
    for name, reader in (("cluener", nd.cluener), ("weibo", nd.weibo), ("resume", nd.resume)):
        out[name] = [(norm(t), g, nd.fit_slice(t)) for t, g in reader(D) if part_filter(t)]
    return out

def stats_by_fold(rows):
    names = set()
    for t, g, f in rows:
        for a, b in spans(g):
            if b - a >= 2: names.add(t[a:b])
    ann = [Counter() for _ in range(10)]; occ = [Counter() for _ in range(10)]
    for t, g, f in rows:
        for a, b in spans(g):
            if b - a >= 2: ann[f][t[a:b]] += 1
        n = len(t)
        for i in range(n):
            for L in range(2, min(MAXLEN, n - i) + 1):
                s = t[i:i+L]
                if s in names: occ[f][s] += 1
    return ann, occ

def combine(ann, occ, exclude=None):
    A = Counter(); O = Counter()
    for f in range(10):
        if f == exclude: continue
        A.update(ann[f]); O.update(occ[f])
    return {s: (A[s], O[s]) for s in A if A[s] > 0}

def bucket(a, o):
    r = a / max(o, 1)
    return ("h" if r >= 0.6 else "m" if r >= 0.25 else "l") + ("1" if a == 1 else "2")

def tn_tags(text, st):
    n = len(text); out = [""] * n; i = 0
    while i < n:
        for L in range(min(MAXLEN, n - i), 1, -1):
            v = st.get(text[i:i+L])
            if v:
                b = bucket(*v)
                out[i] = "B" + b
                for k in range(i+1, i+L): out[k] = "I" + b
                i += L; break
        else: i += 1
    return out

def feats(text, st, base=None):
    fs = base(text) if base else nc.char_features(text)
    tt = tn_tags(text, st)
    for i, f in enumerate(fs):
        if tt[i]: f.append("tn=" + tt[i]); f.append("tnb=" + tt[i][0])
        if i > 0 and tt[i-1]: f.append("tn-1=" + tt[i-1][0])
        if i + 1 < len(tt) and tt[i+1]: f.append("tn+1=" + tt[i+1][0])
    return fs

def train(out, leave_slice=None):
    keep = lambda t: not nd.held_out(t) and (leave_slice is None or nd.fit_slice(t) != leave_slice)
    sets = collect(keep)
    rows = sets["cluener"] + sets["weibo"] + sets["resume"]
    ann, occ = stats_by_fold(rows)
    per_fold = {f: combine(ann, occ, exclude=f) for f in range(10)}
    full = combine(ann, occ)
    pickle.dump(full, open(str(out) + ".stats.pkl", "wb"))
    print("names in stats", len(full), flush=True)
    tr = pycrfsuite.Trainer(verbose=False)
    t0 = time.time(); n = 0
    for t, g, f in rows + sets["cluener"]:
        tr.append(feats(t, per_fold[f]), g); n += 1
    tr.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 250, "feature.possible_transitions": True})
    tr.train(str(out))
    print(f"trained on {n} sentences in {time.time()-t0:.0f} s -> {out}", flush=True)

def patch_eval(stats_path):
    full = pickle.load(open(stats_path, "rb"))
    base = nc.char_features
    nc.char_features = lambda text, words=None: feats(text, full, base=lambda x: base(x, words))

if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd"); ap.add_argument("--out", type=Path); ap.add_argument("--slice", type=int, default=None)
    ap.add_argument("--crf", nargs="+")
    a = ap.parse_args()
    if a.cmd == "train":
        train(a.out, a.slice)
    elif a.cmd == "eval":
        from corpora.pii import eval_names_heldout as ev
        patch_eval(a.crf[0] + ".stats.pkl")
        import pycrfsuite as pc
        tg = pc.Tagger(); tg.open(a.crf[0])
        ev.analyzer_errors(D, [(tg, "held_out")], 0)
    elif a.cmd == "evalbase":
        from corpora.pii import eval_names_heldout as ev
        import pycrfsuite as pc
        tg = pc.Tagger(); tg.open(a.crf[0])
        ev.analyzer_errors(D, [(tg, "held_out")], 0)
