#!/usr/bin/env python3
"""Writes a deterministic corpus of news articles for the benchmarks.

  bench/gen_corpus.py --count 100000 --out DIR [--seed 1] [--hugo DIR]

DIR receives agency plain-text articles (the format feedd reads natively):
a title, a view counter, a byline with a role, a photo credit, paragraphs
with subheadings, and the agency's site footer, in one folder per category,
3-8 KB each. Each file's mtime is its publication moment, spread over twenty
years, so "first seen" dates are distinct and reproducible.

With --hugo, the same articles are also written as a Hugo site (Markdown with
YAML front matter under content/<category>/, and a config that builds RSS
only, 50 items per feed), so Hugo and feedd publish the same news. The same
folder also holds full.toml and layouts-full/, a second config for the whole
site (`hugo --config full.toml`): an HTML page per article from a minimal
baseof/single/list layout, and an HTML list page and an RSS feed (50 items)
for home, each section, and each term of two taxonomies, categories and
authors (the `authors` front matter).

The same --count and --seed always give the same bytes.
"""

import argparse
import os
import random

CATEGORIES = ["world", "economy", "politics", "sport", "culture", "science",
              "technology", "health", "society", "regions", "business", "opinion"]
ROLES = ["Editor-in-Chief", "Editor", "Correspondent", "Reporter", "Staff Writer",
         "Columnist", "Senior Reporter", "Analyst"]
FIRST = ["Amina", "Boris", "Carla", "Daniyar", "Elena", "Farid", "Greta", "Hassan", "Irina",
         "Jonas", "Kamila", "Leon", "Marta", "Nurlan", "Olga", "Pavel", "Rosa", "Samir",
         "Tamara", "Viktor", "Yana", "Zarina"]
LAST = ["Abenova", "Berg", "Castillo", "Dzhaksybekov", "Eriksen", "Fischer", "Garcia",
        "Halvorsen", "Ismailova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nowak",
        "Orlova", "Petrov", "Quinn", "Rahimov", "Sato", "Tulegenova", "Varga", "Wolff"]
CREDITS = ["Staff", "Press Office", "Gov", "Reuters", "Agency photo", "Archive"]
SUBJECTS = ["The ministry", "The city council", "Local farmers", "The central bank",
            "Researchers at the university", "The regional governor", "Union leaders",
            "The port authority", "Hospital staff", "The national team", "Shop owners",
            "The transport agency", "Engineers", "Teachers", "The energy regulator"]
VERBS = ["announced", "reported", "confirmed", "proposed", "rejected", "welcomed",
         "criticised", "approved", "postponed", "reviewed", "published", "expanded"]
OBJECTS = ["a new budget for the coming year", "plans for a second bridge",
           "the results of a two-year study", "changes to the water tariff",
           "a programme of road repairs", "an agreement with foreign partners",
           "the opening of three new schools", "stricter rules on construction",
           "a cut in the interest rate", "the first figures for the harvest",
           "a review of public transport fares", "funding for rural clinics"]
TAILS = ["on Tuesday", "after a long debate", "despite objections from the opposition",
         "according to officials", "in a statement published this morning",
         "at a press conference in the capital", "ahead of the winter season",
         "for the third time this year", "following weeks of talks", "with immediate effect"]
HEADWORDS = ["What comes next", "Reaction from the region", "A long road to agreement",
             "Figures behind the decision", "Voices from the street", "The cost for families",
             "Lessons from abroad", "Questions that remain", "A view from the market",
             "The plan in detail"]
TITLE_WORDS = ["Council", "Approves", "New", "Budget", "Bridge", "Opens", "Farmers", "Report",
               "Record", "Harvest", "Bank", "Cuts", "Rates", "Schools", "Plan", "Talks",
               "Energy", "Prices", "Rise", "Port", "Expands", "Clinics", "Funding", "Team",
               "Wins", "Final", "Study", "Finds", "Water", "Tariff", "Changes", "Roads"]
FOOTER = ("DKNews International News Agency is registered with the Ministry of Culture and "
          "Information of the Republic of Kazakhstan. Registration certificate No. 10484-AA "
          "issued on January 20, 2010.")

START = 1136073600  # 2006-01-01T00:00:00Z
SPAN = 20 * 365 * 86400


def sentence(rng):
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(TAILS)}, and {rng.randint(2, 990)} people were affected.")


def paragraph(rng, low=2, high=5):
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def article(rng, index):
    """One article as (category, name, moment, title, author, role, credit, blocks);
    blocks are ("p", text) or ("h", text), the lead paragraph first."""
    category = CATEGORIES[rng.randrange(len(CATEGORIES))]
    name = f"{index:06d}_{rng.getrandbits(64):016x}"
    moment = START + (index * SPAN) // max(1, ARGS.count) + rng.randrange(3600)
    title = " ".join(rng.choice(TITLE_WORDS) for _ in range(rng.randint(5, 10)))
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    role = rng.choice(ROLES)
    credit = rng.choice(CREDITS) if rng.random() < 0.7 else ""
    target = rng.randint(3000, 8000) - len(FOOTER) - 320
    blocks = [("p", paragraph(rng, 2, 3))]
    size = len(blocks[0][1])
    while size < target:
        if rng.random() < 0.2:
            blocks.append(("h", rng.choice(HEADWORDS)))
        text = paragraph(rng)
        blocks.append(("p", text))
        size += len(text) + 2
    if blocks[-1][0] == "h":
        blocks.pop()
    return category, name, moment, title, author, role, credit, blocks


def agency_text(a, rng):
    category, name, moment, title, author, role, credit, blocks = a
    lines = [title, "", str(rng.randint(10, 99999)), f"{author} {role}"]
    if credit:
        lines.append(f"Photo by: {credit}")
    lines.append("")
    for kind, text in blocks:
        lines += [text, ""]
    lines += [FOOTER, "", "Theme", "Autoreload", "МИА «DKnews.kz» © 2006 -", ""]
    return "\n".join(lines)


def markdown(a):
    category, name, moment, title, author, role, credit, blocks = a
    import datetime
    date = datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)
    out = ["---", f'title: "{title}"', f"date: {date.strftime('%Y-%m-%dT%H:%M:%SZ')}",
           f"categories: [{category}]", f'author: "{author}"', f'authors: ["{author}"]', "---",
           ""]
    for kind, text in blocks:
        out += [("## " + text) if kind == "h" else text, ""]
    return "\n".join(out)


# RSS only: the home feed and one per section (category), 50 items each.
# Every article is read and listed, none rendered as a page of its own.
HUGO_CONFIG = """baseURL = "https://news.example.org/"
title = "Bench News"
disableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404"]
[outputs]
home = ["RSS"]
section = ["RSS"]
[services.rss]
limit = 50
[[cascade]]
  [cascade._build]
    render = "never"
    list = "always"
  [cascade._target]
    kind = "page"
"""


# The whole site (bench/full_site.sh): a page per article, and a list page and
# an RSS feed for home, sections and the terms of categories and authors.
HUGO_FULL_CONFIG = """baseURL = "https://news.example.org/"
title = "Bench News"
layoutDir = "layouts-full"
disableKinds = ["sitemap", "robotsTXT", "404"]
[taxonomies]
category = "categories"
author = "authors"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
page = ["HTML"]
[services.rss]
limit = 50
"""

HUGO_FULL_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p>{{ range .GetTerms "authors" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{ range first 50 $pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>{{ end }}
""",
}


def main():
    rng = random.Random(ARGS.seed)
    for c in CATEGORIES:
        os.makedirs(os.path.join(ARGS.out, c), exist_ok=True)
        if ARGS.hugo:
            os.makedirs(os.path.join(ARGS.hugo, "content", c), exist_ok=True)
    if ARGS.hugo:
        with open(os.path.join(ARGS.hugo, "config.toml"), "w") as f:
            f.write(HUGO_CONFIG)
        with open(os.path.join(ARGS.hugo, "full.toml"), "w") as f:
            f.write(HUGO_FULL_CONFIG)
        for rel, text in HUGO_FULL_LAYOUTS.items():
            path = os.path.join(ARGS.hugo, "layouts-full", rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
    total = 0
    for i in range(ARGS.count):
        a = article(rng, i)
        category, name, moment = a[0], a[1], a[2]
        text = agency_text(a, rng).encode("utf-8")
        path = os.path.join(ARGS.out, category, name + ".txt")
        with open(path, "wb") as f:
            f.write(text)
        os.utime(path, (moment, moment))
        total += len(text)
        if ARGS.hugo:
            with open(os.path.join(ARGS.hugo, "content", category, name + ".md"), "w",
                      encoding="utf-8") as f:
                f.write(markdown(a))
    print(f"{ARGS.count} articles, {total / 1e6:.1f} MB of agency text in {ARGS.out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo", help="also write the articles as a Hugo site here")
    ARGS = parser.parse_args()
    main()
