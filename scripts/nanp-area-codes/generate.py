#!/usr/bin/env python3
"""`npm run gen:nanp-area-codes`: writes libs/rules/src/geography/nanp-area-codes.ts.

Source: the PyPI package `phonenumbers` (the Python port of Google's libphonenumber), pinned in
requirements.txt beside this file, for its English geocoder data (prefix -> place name) and its
time-zone prefix data (prefix -> IANA zones). pycountry, also pinned, carries the ISO 3166 lists
(Debian's iso-codes) that every region code written is checked against.

For each NANP area code (NPA) 200-999:
- region: for the NANP countries other than the US and Canada, libphonenumber's per-country
  leading digits (PR 787|939, JM 658|876, ...) name the country. Puerto Rico, the US Virgin
  Islands, Guam, American Samoa and the Northern Mariana Islands get their ISO 3166-2:US codes
  (US-PR, US-VI, US-GU, US-AS, US-MP: "outlying areas" in ISO 3166-2:US); the other countries
  get their ISO 3166-1 alpha-2 code (JM, DO, BS, ...): one area code covers the whole country, so
  no subdivision of it fits. For the US and Canada, every geocoder name under the NPA (the area
  code's own entry and each exchange's, "Miami, FL") is mapped to an ISO 3166-2 code by the
  checked tables below. The area code's own entry ("Florida") decides; where the source has none
  (203, 310, ...), the names of its exchanges ("Darien, CT") do. When that names several
  subdivisions (902: "Nova Scotia/Prince Edward Island") the region is the country (CA).
- zones: the union of the zones of every time-zone prefix under the NPA, the area code's own entry
  included, so an area code split between zones lists all of them; then, for the overlay groups in
  OVERLAYS, the union over each group.
An NPA with no geocoder entry and no country of its own (toll-free 8XX, 900, 5XX, N11, ...) is
left out: it says nothing about where the number is.

Run: python3 -m pip install -r scripts/nanp-area-codes/requirements.txt, then
npm run gen:nanp-area-codes [-- --date YYYY-MM-DD] (the date written in the header; today, UTC, by
default). The output is formatted with the repository's prettier, so the same inputs and date give
the same file byte for byte.
"""

import argparse
import datetime
import importlib.metadata
import os
import pathlib
import re
import subprocess
import sys
import zoneinfo

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUTPUT = REPO / "libs" / "rules" / "src" / "geography" / "nanp-area-codes.ts"


def pinned_versions():
    pins = {}
    for line in (HERE / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name] = version
    return pins


PINS = pinned_versions()
for package, version in PINS.items():
    try:
        installed = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed != version:
        found = f"{installed} is installed" if installed else "is not installed"
        sys.exit(f"{package} {found}, requirements.txt pins {version}: "
                 "python3 -m pip install -r scripts/nanp-area-codes/requirements.txt")

import phonenumbers  # noqa: E402  (after the version check, so a wrong version says so first)
import pycountry  # noqa: E402
from phonenumbers.geodata import GEOCODE_DATA  # noqa: E402
from phonenumbers.phonemetadata import PhoneMetadata  # noqa: E402
from phonenumbers.tzdata import TIMEZONE_DATA  # noqa: E402

# Postal abbreviations as the geocoder writes them after a city ("Miami, FL"). ISO 3166-2:US codes
# are US- + the USPS state code, and ISO 3166-2:CA codes CA- + the Canada Post province code; each
# code made here is checked to exist in pycountry's ISO 3166-2 list below.
US_POSTAL = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
    "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split()
CA_POSTAL = "AB BC MB NB NL NS NT NU ON PE QC SK YT".split()

# The geocoder's names for a whole area code where they are not ISO 3166-2's own subdivision name.
NAME_ALIASES = {
    "Washington State": ("US-WA",),
    "Washington D.C.": ("US-DC",),
    "British Colombia": ("CA-BC",),  # so spelt in the source
    "Nova Scotia/Prince Edward Island": ("CA-NS", "CA-PE"),
    "Northwest Territories/Nunavut/Yukon": ("CA-NT", "CA-NU", "CA-YT"),
    "Watson Lake": ("CA-YT",),  # a town in Yukon, written without its territory
}

# Overlays: area codes that share one territory. The source has exchange-level zones mostly for the
# older code of a complex, so an overlay opened later can miss a zone of the land it covers (448
# lacks the Central half of the Florida panhandle) or carry a wrong one (689, Orlando, is given
# America/Chicago). Each group's codes get the union of the zones of the group's codes and of what
# they cover, counting only codes with exchange-level entries when some have them ("from" names the
# codes that speak for the territory where the source's own entry is wrong).
# Listed: the complexes whose older code spans several zones in the source, and those whose newer
# code has a zone its base lacks (689, 474); the script prints any group that changes nothing, so a
# stale row shows. Checked 2026-12-01 against the
# regulators' orders as reported (Florida PSC for 407/689, Oregon PUC 541/458, Indiana IURC 812/930,
# Kentucky PSC 270/364, Idaho PUC 208/986; CRTC for 306/639/474, 418/581/367, 709/879 and British
# Columbia) and the Wikipedia article on each complex.
OVERLAYS = (
    {"codes": ("208", "986")},
    {"codes": ("270", "364")},
    # None has exchange entries; 474's own America/Winnipeg is kept (a zone too many only narrows
    # the calling window), so 306 and 639 gain it.
    {"codes": ("306", "639", "474")},
    # Neither code has exchange entries, and 689's own (America/Chicago) is wrong: it overlays 407's
    # Orange, Osceola, Seminole and parts of Lake and Volusia counties (Florida PSC), all in the
    # Eastern zone (49 CFR part 71), so 407 speaks for both.
    {"codes": ("407", "689"), "from": ("407",)},
    {"codes": ("418", "581", "367")},
    {"codes": ("541", "458")},
    {"codes": ("709", "879")},
    {"codes": ("812", "930")},
    {"codes": ("850", "448")},
    # British Columbia: 778, 236, 672 and 257 overlay both 604 (Lower Mainland) and 250 (the rest), so
    # they get both codes' zones while 604 and 250 keep their own.
    {"codes": ("778", "236", "672", "257"), "covers": ("604", "250")},
)

# NANP territories of the US that ISO 3166-2:US lists as outlying areas (checked below).
US_OUTLYING = ("AS", "GU", "MP", "PR", "VI")


def subdivision(code):
    entry = pycountry.subdivisions.get(code=code)
    if entry is None:
        sys.exit(f"{code} is not an ISO 3166-2 code in pycountry {PINS['pycountry']}")
    return entry


def names_to_codes():
    table = {}
    for country in ("US", "CA"):
        for entry in pycountry.subdivisions.get(country_code=country):
            table[entry.name] = (entry.code,)
    for name, codes in NAME_ALIASES.items():
        for code in codes:
            subdivision(code)
        table[name] = codes
    return table


def postal_to_code():
    table = {}
    for country, abbreviations in (("US", US_POSTAL), ("CA", CA_POSTAL)):
        for abbreviation in abbreviations:
            table[abbreviation] = subdivision(f"{country}-{abbreviation}").code
    return table


def caribbean_regions():
    """NPA -> region for the NANP countries that libphonenumber tells apart by leading digits."""
    regions = {}
    for region_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]:
        if region_code in ("US", "CA"):
            continue
        leading = PhoneMetadata.metadata_for_region(region_code).leading_digits
        if not leading:
            sys.exit(f"{region_code} has no leading digits in phonenumbers {PINS['phonenumbers']}")
        if region_code in US_OUTLYING:
            entry = subdivision(f"US-{region_code}")
            if entry.type != "Outlying area":
                sys.exit(f"{entry.code} is a {entry.type}, not an outlying area")
            region = entry.code
        else:
            if pycountry.countries.get(alpha_2=region_code) is None:
                sys.exit(f"{region_code} is not an ISO 3166-1 code")
            region = region_code
        for number in range(200, 1000):
            npa = str(number)
            # A 4-digit alternative such as DO's 8001 names part of an NPA, not an area code.
            if re.fullmatch(f"(?:{leading})", npa):
                if npa in regions:
                    sys.exit(f"NPA {npa} is claimed by {regions[npa]} and {region}")
                regions[npa] = region
    return regions


def entries_under(data, npa):
    prefix = "1" + npa
    return [value for key, value in data.items() if key.startswith(prefix)]


def codes_of(npa, name, by_name, by_postal):
    city = re.fullmatch(r".+, ([A-Z]{2})", name)
    if city and city.group(1) in by_postal:
        return {by_postal[city.group(1)]}
    if name in by_name:
        return set(by_name[name])
    sys.exit(f"NPA {npa}: no ISO 3166-2 code for the geocoder name {name!r}: add it to NAME_ALIASES")


def us_canada_region(npa, by_name, by_postal):
    """(region, the codes it stands for, codes of exchanges that disagree with the area code's own entry)."""
    own = GEOCODE_DATA.get("1" + npa)
    exchanges = set()
    for names in entries_under(GEOCODE_DATA, npa):
        exchanges |= codes_of(npa, names["en"], by_name, by_postal)
    # The area code's own entry decides when there is one: a stray exchange name (201-631 is
    # "New York, NY" under New Jersey's 201) is not a reason to give up the subdivision.
    codes = codes_of(npa, own["en"], by_name, by_postal) if own else exchanges
    if not codes:
        return None, codes, set()
    countries = {code[:2] for code in codes}
    if len(countries) > 1:
        sys.exit(f"NPA {npa} spans countries: {sorted(codes)}")
    return (next(iter(codes)) if len(codes) == 1 else countries.pop()), codes, exchanges - codes


def zones_of(npa):
    zones = sorted({zone for entry in entries_under(TIMEZONE_DATA, npa) for zone in entry})
    for zone in zones:
        zoneinfo.ZoneInfo(zone)  # raises for a name the IANA database lacks
    return zones


def build():
    by_name, by_postal = names_to_codes(), postal_to_code()
    caribbean = caribbean_regions()
    table, spanning, zoneless, disagreeing = {}, {}, [], {}
    for number in range(200, 1000):
        npa = str(number)
        if npa in caribbean:
            region = caribbean[npa]
        else:
            region, codes, strays = us_canada_region(npa, by_name, by_postal)
            if strays:
                disagreeing[npa] = (region, sorted(strays))
            if region is None:
                if entries_under(TIMEZONE_DATA, npa):
                    zoneless.append(npa)  # zones but no place: nothing to say the region is
                continue
            if len(region) == 2:
                spanning[npa] = sorted(codes)
        zones = zones_of(npa)
        if not zones:
            sys.exit(f"NPA {npa} ({region}) has no time-zone entry in the source")
        table[npa] = (region, zones)
    overlaid = apply_overlays(table)
    return table, spanning, zoneless, disagreeing, overlaid


def has_exchange_entries(npa):
    return any(len(key) > 4 for key in TIMEZONE_DATA if key.startswith("1" + npa))


def apply_overlays(table):
    """Gives each overlay group one set of zones; returns {npa: (zones before, zones after)}."""
    changed = {}
    for group in OVERLAYS:
        members = group["codes"] + group.get("covers", ())
        missing = [npa for npa in members if npa not in table]
        if missing:
            sys.exit(f"overlay group {members}: {missing} not in the table")
        regions = {table[npa][0] for npa in members}
        if len(regions) != 1:
            sys.exit(f"overlay group {members} spans regions {sorted(regions)}")
        # A code whose only entry is the area code's own is the source's default for a code it
        # knows no exchange of (689 is so given America/Chicago): the codes with exchange entries
        # speak for the territory when there are any.
        informed = group.get("from") or [npa for npa in members if has_exchange_entries(npa)] or members
        union = sorted({zone for npa in informed for zone in table[npa][1]})
        touched = False
        for npa in group["codes"]:
            if table[npa][1] != union:
                changed[npa] = (table[npa][1], union)
                table[npa] = (table[npa][0], union)
                touched = True
        if not touched:
            print(f"  overlay group {members} changes nothing: the source now agrees, the row can go")
    return changed


def render(table, generated):
    lines = [
        "// GENERATED by scripts/nanp-area-codes/generate.py: do not edit by hand.",
        f"// Generated {generated} from the PyPI packages phonenumbers {PINS['phonenumbers']} (the Python port of",
        "// Google's libphonenumber: its English geocoder data and its time-zone prefix data) and",
        f"// pycountry {PINS['pycountry']} (ISO 3166-1 and 3166-2, from Debian's iso-codes), against which every",
        "// region code below was checked.",
        "// Regenerate: python3 -m pip install -r scripts/nanp-area-codes/requirements.txt && npm run gen:nanp-area-codes",
        "//",
        "// Every geographic NANP area code (NPA) -> the ISO region it was assigned in and every IANA zone",
        "// its territory spans. region: the ISO 3166-2 subdivision (US-FL, CA-ON); US-PR, US-VI, US-GU,",
        "// US-AS, US-MP for the US territories (ISO 3166-2:US lists them as outlying areas); the ISO 3166-1",
        "// code for a Caribbean country, whose one area code covers it whole (JM, DO, BS), and for an NPA",
        "// that spans several subdivisions of its country (902: CA, Nova Scotia and Prince Edward Island).",
        "// zones: the union of the zones of every prefix of the source under the NPA; the codes of an",
        "// overlay complex (850/448, 541/458, the British Columbia overlays, ...) share their zones, as listed",
        "// in the generator's OVERLAYS with its sources.",
        "// Limits: an area code's zones are a union (most exchanges of 850 are in one zone, some in the",
        "// other); an overlay missing from OVERLAYS keeps the source's zones, which for a code with no",
        "// exchange entries are one default; a number may have been ported or moved, so this says where it",
        "// was assigned, not where its holder is, which is why a retry must satisfy every zone listed.",
        "// An NPA opened after the source's release is absent, as are the non-geographic ones",
        "// (toll-free 8XX, 900, 5XX, 600, 700, 710, N11).",
        "",
        "/** Where a NANP area code was assigned: an ISO 3166 region and the IANA zones it spans. */",
        "export interface NanpAreaCode {",
        "  readonly region: string;",
        "  readonly zones: readonly string[];",
        "}",
        "",
        "export const NANP_AREA_CODES: Readonly<Record<string, NanpAreaCode>> = {",
    ]
    for npa, (region, zones) in table.items():
        quoted = ", ".join(f"'{zone}'" for zone in zones)
        lines.append(f"  '{npa}': {{ region: '{region}', zones: [{quoted}] }},")
    lines.append("};")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).date().isoformat())
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args()
    datetime.date.fromisoformat(args.date)
    table, spanning, zoneless, disagreeing, overlaid = build()
    pathlib.Path(args.output).write_text(render(table, args.date))
    # The repository's own formatter, so the file passes `npm run lint` as written.
    subprocess.run(["npx", "prettier", "--log-level", "warn", "--write", args.output], cwd=REPO, check=True)
    counts = {}
    for region, _ in table.values():
        country = region[:2] if region[:2] in ("US", "CA") else "other"
        counts[country] = counts.get(country, 0) + 1
    multi = sum(1 for _, zones in table.values() if len(zones) > 1)
    print(f"wrote {os.path.relpath(args.output, REPO)}: {len(table)} area codes ({counts}), {multi} spanning more than one zone")
    for npa, codes in spanning.items():
        print(f"  {npa} spans {', '.join(codes)}: region {table[npa][0]}")
    for npa, (region, strays) in disagreeing.items():
        print(f"  {npa} is {region}, but some of its exchanges are named in {', '.join(strays)}")
    for npa, (before, after) in overlaid.items():
        print(f"  {npa} (overlay): source {', '.join(before)} -> {', '.join(after)}")
    if zoneless:
        print(f"  left out, time zones but no place in the source: {', '.join(zoneless)}")


if __name__ == "__main__":
    main()
