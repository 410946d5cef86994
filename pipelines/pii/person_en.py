"""PERSON in Latin-script text without a model: titles, name lists and reporting context.

Precision first: a run of capitalised words is a name only with evidence (a title, a known given
name, a reporting verb or a role next to it); street, place, organisation and time words veto it.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipelines.pii.names import split, word_list

# A capitalised name word: Smith, McDonald, MacArthur, O'Brien, Smith-Jones, Zoë, Łukasz.
_WORD = r"(?:\p{Lu}['’]\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?)(?:-\p{Lu}\p{Ll}+)?"
_PARTICLE = r"(?:van|von|de|da|del|della|der|den|di|du|le|la|bin|ibn|al|ter|ten|dos|das)"
_INITIAL = r"\p{Lu}\."
# One name-like run: optional initials, then words joined by single spaces (never a line break).
RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}'’.-])(?:{_INITIAL}[ \t]?){{0,2}}{_WORD}"
    rf"(?:[ \t](?:{_PARTICLE}[ \t])?(?:{_INITIAL}[ \t])?{_WORD}){{0,4}}(?![\p{{L}}\p{{N}}])"
)
NAME_WORD = regex.compile(_WORD)

# Titles after which any capitalised word is a name ("Mr Okonkwo", "Dr. Wren").
STRONG_TITLES = frozenset(
    split(
        """
        Mr Mrs Ms Miss Mx Dr Prof Professor Sir Dame Rev Revd Reverend Cllr Councillor Sgt Insp
        Det Capt Lt Col Supt Herr Frau Mme Mlle Monsieur Madame Señor Señora Sra Signor Signora
        Dott Rabbi Imam Fr
        """
    )
)
# Role words that also start organisation names ("General Motors"): they need a second clue.
WEAK_TITLES = frozenset(
    split(
        """
        President Minister Chancellor Secretary Ambassador Senator Governor Mayor Judge Justice
        Captain Colonel General Major Lieutenant Sergeant Inspector Detective Constable Officer
        Chief Coach Nurse Father Sister Brother Bishop Archbishop Pastor Chef Lord Lady Dean
        Congressman Congresswoman Representative Commissioner Superintendent Alderman
        Bürgermeister Bürgermeisterin Ministerin Präsident Präsidentin Kanzlerin Professorin
        Direktor Direktorin Pfarrer Pfarrerin Maire Ministre Président Présidente Alcalde
        Alcaldesa Sindaco
        """
    )
)
# Capitalised at the start of a sentence or a heading, never a name.
COMMON_CAPS = frozenset(
    split(
        """
        The A An This That These Those In On At By For From With Without To Of And But Or As If
        When While After Before Since During Yesterday Today Tomorrow Tonight Last Next Every
        Each Some Many Most Few All Both Our Your Their His Her Its My We You They He She It I
        There Here Where What Who Why How Meanwhile However Although Though Despite Under Over
        About Across Around Between Local Residents Visitors Volunteers Staff Members Officials
        Police Photo Photograph Picture Image Credit Source Update Read More See Also Contact
        Email Phone Tel Mobile Fax Address Name Role Editor Reporter Dear Hi Hello Thanks
        Regards Please According Says Said Not No Yes New Old Great Little Big Small Early Late
        North South East West Upper Lower Central Saint St Royal National International
        Laut Selon Según Secondo Kontakt Contacto Contatto Der Die Das Ein Eine Im Am Auf Nach
        Mit Le La Les Un Une Dans Pour Avec Sur Chez En El Los Las Con Por Il Lo Gli Per Da
        """
    )
)
# Words that make a capitalised run a place, an organisation, an event or a date.
VETO = frozenset(
    split(
        """
        Street St Road Rd Avenue Ave Drive Way Close Crescent Terrace Square Place Row Quay
        Wharf Pier Harbour Harbor Port Bay Beach Island Isle Islands River Lake Valley Mountain
        Mount Forest Common Moor Town City Village County Borough District Council Parish Tower
        Castle Palace Abbey Cathedral Chapel Temple Mosque School Academy College University
        Institute Hospital Clinic Surgery Centre Center Library Museum Gallery Theatre Theater
        Cinema Stadium Arena Station Airport Market Mall Hotel Inn Pub Restaurant Cafe Café
        Bakery Shop Store Company Co Ltd Limited Inc Corp Corporation Group Holdings Partners
        Partnership Associates Trust Foundation Society Association Club Union League Party
        Committee Commission Agency Authority Department Ministry Office Bureau Service Services
        Board Bank Fund Capital News Gazette Times Post Herald Journal Press Review Daily Weekly
        Magazine Radio Television Festival Fair Show Awards Prize Cup Championship Games Week
        Month Year Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
        March May July August September October November December Spring Christmas Easter Act
        Street Gardens Garden Reserve Trail Path Ferry Line Lines Railway Bus Express Project
        Programme Program Plan Scheme Survey Report Fish Stew Recipe Lighthouse Seagrass
        Allotment Allotments Timetable Repairs Tea Estate Estates Farm Farms Works Yard Dock
        Docks Bridge Canal Coast Sea Ocean Hills Motors Electric Airlines Airways Systems
        Industries Technologies Energy Foods Pharmaceuticals Insurance Motor Steel Oil Gas Water
        Health Care Media Studios Records Books Alley Annex Arcade Bayou Bend Bluff Bluffs
        Boulevard Burg Burgs Bypass Canyon Causeway Circle Circles Cliffs Corner Corners Course
        Courts Cove Coves Creek Crest Crossing Crossroad Curve Divide Drives Expressway
        Extension Extensions Falls Flat Flats Forge Forges Fork Forks Freeway Gateway Glens
        Greens Groves Harbors Heights Highway Hollow Inlet Junction Junctions Knoll Knolls Lakes
        Landing Loaf Locks Loop Manors Mews Mission Motorway Mountains Neck Orchard Oval
        Overpass Parkway Parkways Passage Pines Plain Plains Plaza Points Ports Prairie Radial
        Ramp Ranch Rapid Rapids Ridge Ridges Route Rue Shoal Shoals Shores Skyway Spur Spurs
        Squares Stravenue Stream Streets Summit Terraces Throughway Trace Track Trafficway
        Trailer Tunnel Turnpike Underpass Unions Valleys Viaduct View Views Villages Ville Vista
        Walks Ways Pass Via Roads United Rovers Wanderers Athletic Albion Hotspur Rangers Celtic
        Olympique Real Ferries Rail Buses Coaches Trains Shipping Logistics Homes Housing
        Properties Builders Developers Consultants Solutions Networks Telecom Digital Labs
        Ventures Brands Retail Stores Supermarkets Brewery Distillery Dairy Fisheries Marine
        Fire Rescue Ambulance Coastguard Lifeboat Lifeboats Friends Residents Villa
        """
    )
)
# Place heads that are also common surnames (Hall, Wood, Green...): not enough on their own.
SOFT_PLACE = frozenset(
    split(
        """
        Hall House Park Hill Green Lane Court Bridge Cross Gate Field Fields Wood Woods Castle
        Tower Chapel Church Way Moor Heath Bay Mill Mills Wells Marsh Brook Banks Street Brooks
        Branch Camp Ford Fort Glen Grove Haven Key Keys Lake Light Lodge Manor Port Run Shore
        Springs Station Trail Walk Well Day Lane Law Meadows Park Parks Power Wall Ward Winter
        Pike
        """
    )
)
# Given names that are also months, virtues, flowers, places or verbs.
AMBIGUOUS_GIVEN = frozenset(
    split(
        """
        April May June August Amber Angel Autumn Bill Chase Chelsea Christian Crystal Daisy
        Dakota Dale Dawn Dean Destiny Devon Don Drew Earl Faith Frank Georgia Glen Grace Grant
        Guy Hazel Heather Holly Hunter Jack Jade Jordan Joy Kent Lee Madison Mark Mason Melody
        Mercedes Parker Penny Raven Ray Regina Robin Rose Savannah Sierra Summer Sydney Victoria
        Virginia Austin Florence Paris Lincoln Washington Will Hope Iris Ivy Lily Ruby Pearl
        Violet Jasmine Sage Olive Miles Page Major King Prince Duke Chance Trinity Carol Sharon
        Tiffany Wesley Lorraine Charlotte Alexandria Beverly Troy Warren Gordon Stanley Norman
        Douglas Spencer Taylor Morgan Logan Cameron Kelly Shannon Whitney
        """
    )
)
AMBIGUOUS_SURNAME = frozenset(
    split(
        """
        Banks Bell Black Brown Church Cross Dale Day Dean Field Fields Ford Fox Green Hall Heath
        Hill House Hunter King Lamb Lane Little Long Lord Marsh May Mills Page Park Parsons Pope
        Price Rich Rivers Rose Sharp Short Snow Stone Strong Swift Wells White Winter Wise Wolf
        Wood Woods Young Street Bridge Mill Well Gate Wall Tower Castle Court Moor Brook Bay
        Bush Frost Gold Gray Grey Hale Light Love Moon Rain Sun
        """
    )
)
# Words right before a name that say a person follows ("according to", "said", "Contact:").
BEFORE = regex.compile(
    r"\b(?:according\sto|said|says|told|by|thanks\sto|interviewed|named|called|call|ask|"
    r"ask\sfor|email|phone|ring|write\sto|thanked|invited|met|described|praised|arrested|"
    r"charged|married|speak\sto|spoke\sto|talk\sto|son\sof|daughter\sof|wife|husband|"
    r"photo|photograph|picture|organi[sz]er|host|presenter|statement|par|auprès\sde|"
    r"sagte|sagt|erklärte|betonte|laut|kontakt|ansprechpartner(?:in)?|déclaré|a\sdit|selon|"
    r"explique|précise|dijo|según|afirmó|contacto|ha\sdetto|secondo|contatto|dichiarato|"
    r"spokes(?:person|man|woman)|contact|name|editor|reporter|author|writer|photographer|"
    r"correspondent|columnist|chair(?:man|woman|person)?|director|manager|founder|owner|dear|"
    r"hi|hello|cc|attn|signed|sincerely|regards|student|resident|teacher|nurse|doctor|farmer|"
    r"fisherman|skipper|volunteer|pupil|actor|actress|singer|artist|player|coach|captain)"
    r"[ \t]*[:,]?[ \t]*$",
    regex.IGNORECASE,
)
# What follows a name in reporting: a speech verb, an age, a relative clause or a role.
AFTER = regex.compile(
    r"^(?:[ \t]+(?:said|says|told|added|explained|wrote|noted|argued|warned|recalled|admitted|"
    r"insisted|confirmed|stated|commented|replied|asked|agreed|believes|thinks|who|whose|"
    r"thanked|opened|founded|died|won|joined|lives|lived|works|worked|married|was\sborn)\b|"
    # "Okafor's lawyer": a possessive before a relative or a role
    r"['’]s[ \t]+(?:lawyer|wife|husband|son|daughter|mother|father|family|friend|colleague|"
    r"partner|brother|sister|children|parents|first|latest|new\snovel|book|career)\b|"
    # a table cell: "Eleanor Pike | News editor"
    r"[ \t]*\||"
    r",[ \t]*(?:\d{1,3}\b|aged|who|whose|a\b|an\b|the\b|our\b|his\b|her\b|"
    r"spokes|director|chair|chief|head|manager|professor|lecturer|researcher|founder|owner|"
    r"resident|teacher|nurse|doctor|editor|reporter|secretary|president|vice|senior|junior))"
)
BEFORE_WINDOW = 32


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    score: float
    words: tuple[str, ...]


def _words(run: regex.Match[str]) -> list[tuple[int, int, str]]:
    return [(m.start() + run.start(), m.end() + run.start(), m.group()) for m in
            NAME_WORD.finditer(run.group())]  # fmt: skip


def _strip_leading(
    words: list[tuple[int, int, str]], given: frozenset[str]
) -> tuple[list[tuple[int, int, str]], str]:
    """Drop sentence starters and titles in front of the name; return the title dropped."""
    title = ""
    while words:
        word = words[0][2]
        if word in STRONG_TITLES or word in WEAK_TITLES:
            title = word
        elif word in COMMON_CAPS:
            pass
        elif len(words) > 2 and word not in given and words[1][2] in given:
            title = ""
        else:
            break
        words = words[1:]
    return words, title


def _title_before(text: str, start: int) -> str:
    match = regex.search(r"(\p{Lu}\p{Ll}*)\.?[ \t]+$", text[max(0, start - 16) : start])
    word = match.group(1) if match else ""
    return word if word in STRONG_TITLES or word in WEAK_TITLES else ""


def _score(text: str, words: list[tuple[int, int, str]], title: str, initials: bool) -> float:
    given, surnames = word_list("en_given"), word_list("en_surnames")
    names = [w for _, _, w in words]
    first, last = names[0], names[-1]
    start, end = words[0][0], words[-1][1]
    before = text[max(0, start - BEFORE_WINDOW) : start]
    context = bool(BEFORE.search(before)) or bool(AFTER.match(text[end : end + 40]))
    if title in STRONG_TITLES:
        return 0.85
    if title and (context or first in given or last in surnames or len(names) > 1):
        return 0.8
    if initials:
        return min(0.95, 0.6 + (0.3 if context else 0))
    if len(names) < 2:
        # "said Green", "Okafor told": a known surname right next to a reporting verb.
        return 0.6 if last in surnames and _speech_next_to(text, start, end) else 0.0
    known_last = last in surnames and last not in AMBIGUOUS_SURNAME
    if first in given and first not in AMBIGUOUS_GIVEN:
        score = 0.45 if last in SOFT_PLACE else (0.75 if last in surnames else 0.6)
    elif first in given:
        score = 0.45 if known_last else 0.3
    elif last in surnames:
        score = 0.5 if known_last else 0.4
    else:
        score = 0.3
    return min(0.95, score + 0.3) if context else score


SPEECH_BEFORE = regex.compile(r"\b(?:said|says|told|asked|added)[ \t]*$", regex.IGNORECASE)
SPEECH_AFTER = regex.compile(r"^[ \t]+(?:said|says|told|added|explained|agreed)\b")


def _speech_next_to(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 12) : start]
    return bool(SPEECH_BEFORE.search(before) or SPEECH_AFTER.match(text[end : end + 12]))


# First words of place names: "Santa Maria Del Taro", "San José", "Bad Homburg".
PLACE_START = frozenset(split("San Santa Santo São Sankt Bad Saint Sainte St Fort Port Mount Lake"))
# Lower-case words before a capitalised run that make it a place or a thing: "the Albert Hall",
# "rue Victor Hugo", "via Garibaldi".
NOT_PERSON_BEFORE = regex.compile(
    r"(?:^|[^\p{L}])(?:the|rue|avenue|boulevard|place|quai|allée|impasse|via|viale|piazza|calle|"
    r"plaza|avenida|paseo|straße|strasse|platz)[ \t]+$"
)
# "Johnson & Johnson", "Marks & Spencer": an ampersand joins firm names, not people.
AMPERSAND = regex.compile(r"[ \t]&[ \t]")


def _not_a_person_here(text: str, start: int, end: int) -> bool:
    if NOT_PERSON_BEFORE.search(text[max(0, start - 12) : start]):
        return True
    return bool(AMPERSAND.match(text, end) or AMPERSAND.match(text, max(0, start - 3)))


def english_names(text: str) -> list[Found]:
    given = word_list("en_given")
    found = []
    for run in RUN.finditer(text):
        if _words(run)[0][2] in PLACE_START:
            continue
        words, title = _strip_leading(_words(run), given)
        if not words or any(w in VETO for _, _, w in words):
            continue
        following = NAME_WORD.match(text, words[-1][1] + 1)
        if following and following.start() == words[-1][1] + 1 and following.group() in VETO:
            continue
        title = title or _title_before(text, words[0][0])
        if not title and _not_a_person_here(text, words[0][0], words[-1][1]):
            continue
        # Leading initials ("J. K. Rowling") belong to the name when nothing was stripped.
        initials = words[0][0] == _words(run)[0][0] and run.start() < words[0][0]
        start = run.start() if initials else words[0][0]
        words = words[:4]
        score = _score(text, words, title, initials)
        if score > 0:
            found.append(Found(start, words[-1][1], score, tuple(w for _, _, w in words)))
    return found
