"""The trigger dictionary as data: coverage of the CAMEO codebook, one probe test per root family,
inflection sanity, and clear errors for a malformed dictionary."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from detente import cameo
from detente.coding.triggers import TriggerLexicon, noun_forms, spelling_variants, verb_forms
from detente.errors import InputError

_NLP = spacy.blank("en")
ROOTS = [f"{n:02d}" for n in range(1, 21)]


def _codes(text: str) -> set[str]:
    return {m.code for m in TriggerLexicon.load().match(_NLP.make_doc(text))}


# ------------------------------------------------------------------------------------ codebook
def test_every_code_is_cameo_and_sits_in_its_root_file() -> None:
    lexicon = TriggerLexicon.load()
    for entry in lexicon.entries:
        assert cameo.is_valid(entry.code), entry.entry_id
        assert entry.code[:2] == entry.root == entry.source_file[:2], entry.entry_id
        assert entry.entry_id.startswith(f"{entry.root}/{entry.code}/")


def test_at_least_150_distinct_sub_codes() -> None:
    sub_codes = {code for code in TriggerLexicon.load().codes() if len(code) >= 3}
    assert len(sub_codes) >= 150


@pytest.mark.parametrize("root", ROOTS)
def test_each_root_has_verb_and_noun_triggers(root: str) -> None:
    entries = [e for e in TriggerLexicon.load().entries if e.root == root]
    assert any(e.verbs for e in entries), root
    assert any(e.nouns for e in entries), root
    assert len({e.code for e in entries}) >= 3, root


# --------------------------------------------------------------------------- one family per root
# Sentences written for these tests; each must offer the named code among its candidates.
PROBES: dict[str, list[tuple[str, str]]] = {
    "01": [
        ("The foreign ministry declined to comment on the report.", "011"),
        ("Tehran denied any involvement in the bombing.", "016"),
        ("The king sent condolences to the victims' families.", "018"),
        ("The two leaders issued a joint statement after the summit.", "019"),
    ],
    "02": [
        ("The UN chief urged both sides to observe the truce.", "0256"),
        ("Kyiv appealed for more air defense systems from its allies.", "0232"),
        ("The envoy called for the release of the detained sailors.", "0253"),
    ],
    "03": [
        ("Beijing offered to mediate between the two neighbours.", "039"),
        ("The two governments agreed to station liaison officers in each other's capitals.", "0312"),
        ("Japan pledged a loan of two billion dollars to the island state.", "0331"),
    ],
    "04": [
        ("The foreign minister held talks with his Iranian counterpart in Islamabad.", "046"),
        ("The visit of the Saudi crown prince to Tehran was the first in years.", "042"),
        ("Putin spoke by phone with Erdogan on Tuesday.", "041"),
        ("Qatar hosted the Afghan delegation in Doha.", "043"),
    ],
    "05": [
        ("Riyadh and Tehran restored diplomatic relations in March.", "050"),
        ("The two countries signed a defence pact in Riyadh.", "057"),
        ("The prime minister apologized for the raid.", "055"),
        ("The president praised the ceasefire deal.", "051"),
    ],
    "06": [
        ("The two navies held joint exercises in the Arabian Sea.", "062"),
        ("The agencies agreed to share intelligence on militant groups.", "064"),
        ("Spain extradited the suspect to France.", "063"),
    ],
    "07": [
        ("The IMF disbursed a three billion dollar loan to Pakistan.", "071"),
        ("Germany delivered tanks and ammunition to Ukraine.", "072"),
        ("The navy evacuated civilians from the port.", "073"),
        ("Sweden granted asylum to the dissident.", "075"),
    ],
    "08": [
        ("Rebels released twelve hostages on Sunday.", "0841"),
        ("Washington lifted sanctions on the country's oil sector.", "085"),
        ("Both armies declared a ceasefire along the border.", "0871"),
        ("Russian troops withdrew from the city.", "0874"),
        ("The president resigned after weeks of protests.", "0831"),
    ],
    "09": [
        ("Prosecutors opened an investigation into corruption at the ministry.", "091"),
        ("The UN launched an inquiry into alleged war crimes.", "094"),
    ],
    "10": [
        ("Washington demanded that Moscow withdraw its troops.", "1056"),
        ("Protesters demanded the resignation of the prime minister.", "1041"),
    ],
    "11": [
        ("Pakistan condemned the strike as a violation of its sovereignty.", "111"),
        ("India accused Pakistan of sponsoring terrorism.", "1121"),
        ("Islamabad summoned the Iranian charge d'affaires.", "114"),
        ("The firm sued the government over the seizure.", "115"),
    ],
    "12": [
        ("The rebels rejected the peace plan.", "127"),
        ("The government refused to lift the curfew.", "1241"),
        ("Russia vetoed the draft resolution in the Security Council.", "129"),
    ],
    "13": [
        ("Iran threatened to retaliate against any attack.", "138"),
        ("The EU threatened new sanctions against Minsk.", "1312"),
        ("Washington gave Belgrade an ultimatum.", "139"),
    ],
    "14": [
        ("Thousands of protesters rallied outside parliament.", "141"),
        ("The opposition leader went on hunger strike in prison.", "142"),
        ("Teachers went on strike over unpaid wages.", "143"),
        ("Rioters torched cars in the capital.", "145"),
    ],
    "15": [
        ("The army put its forces on high alert.", "152"),
        ("Moscow massed troops on the border.", "154"),
        ("North Korea conducted a missile test.", "150"),
    ],
    "16": [
        ("Pakistan recalled its ambassador from Tehran.", "161"),
        ("Riyadh broke off diplomatic relations with Tehran.", "161"),
        ("The US imposed sanctions on the central bank.", "163"),
        ("The government expelled the UN inspectors.", "1662"),
    ],
    "17": [
        ("Police arrested dozens of opposition activists.", "173"),
        ("The junta imposed a curfew in the capital.", "1723"),
        ("Police fired tear gas at protesters.", "175"),
        ("Soldiers demolished the houses of the villagers.", "1712"),
    ],
    "18": [
        ("Gunmen kidnapped two aid workers.", "181"),
        ("A suicide bomber blew himself up at a checkpoint.", "1831"),
        ("A car bomb exploded near the embassy.", "1832"),
        ("The opposition leader survived an assassination attempt.", "185"),
    ],
    "19": [
        ("Iran fired missiles into Pakistan.", "195"),
        ("Pakistan struck back within 24 hours.", "190"),
        ("Artillery shelled villages along the frontier.", "194"),
        ("Troops occupied the border town.", "192"),
        ("The militia violated the truce within hours.", "196"),
    ],
    "20": [
        ("Militiamen massacred villagers in the province.", "202"),
        ("The regime used chemical weapons against the town.", "2041"),
        ("The report described a campaign of ethnic cleansing.", "203"),
    ],
}


@pytest.mark.parametrize("root", ROOTS)
def test_root_family_probes(root: str) -> None:
    for text, code in PROBES[root]:
        assert code in _codes(text), (text, code, sorted(_codes(text)))


def test_noun_triggers_carry_prepositions_for_roles() -> None:
    doc = _NLP.make_doc("the visit of the Saudi crown prince to Tehran")
    visit = next(m for m in TriggerLexicon.load().match(doc) if m.code == "042" and m.kind == "noun")
    assert "to" in visit.target_preps and "of" in visit.source_preps
    assert doc[visit.head].text == "visit"


def test_reciprocal_flag_on_symmetric_events() -> None:
    lexicon = TriggerLexicon.load()
    doc = _NLP.make_doc("Iran and Pakistan held talks and signed an agreement.")
    by_code = {m.code: m for m in lexicon.match(doc)}
    assert by_code["046"].reciprocal and by_code["057"].reciprocal
    attack = next(m for m in lexicon.match(_NLP.make_doc("Iran attacked Pakistan.")) if m.code == "190")
    assert not attack.reciprocal


def test_modality_hints_follow_the_frame_family() -> None:
    lexicon = TriggerLexicon.load()
    hints = {
        e.root: e.modality_hint for e in lexicon.entries if e.entry_id.endswith(("/threaten", "/intent"))
    }
    assert hints == {"13": "threatened", "03": "planned"}
    deny = next(m for m in lexicon.match(_NLP.make_doc("Iran denied the attack.")) if m.code == "016")
    assert deny.modality_hint == "denied"


# --------------------------------------------------------------------------------- inflection
def test_verb_inflection_rules() -> None:
    assert {"bans", "banned", "banning"} <= verb_forms("ban")
    assert {"carries", "carried", "carrying"} <= verb_forms("carry")
    assert {"retaliates", "retaliated", "retaliating"} <= verb_forms("retaliate")
    assert {"visits", "visited", "visiting"} <= verb_forms("visit")
    assert {"vetoes", "vetoed", "vetoing"} <= verb_forms("veto")
    assert {"ties", "tied", "tying"} <= verb_forms("tie")


def test_irregular_table_is_used() -> None:
    forms = verb_forms("strike", {"strike": ("struck", "stricken")})
    assert {"struck", "stricken", "strikes", "striking"} <= forms and "striked" not in forms
    assert noun_forms("crisis", {"crisis": ("crises",)}) == frozenset({"crisis", "crises"})
    assert noun_forms("embassy") == frozenset({"embassy", "embassies"})
    assert noun_forms("ambush") == frozenset({"ambush", "ambushes"})


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("Pakistan struck back at militant hideouts.", "strike back"),
        ("The army met with tribal elders.", "meet with"),
        ("Riyadh broke off relations.", "break off"),
        ("Officials held talks on Monday.", "hold talks"),
        ("Jets flew to the capital.", "fly to"),
        ("Both sides sent envoys back.", "send"),
    ],
)
def test_irregular_forms_match_multiword_triggers(text: str, lemma: str) -> None:
    lemmas = {m.lemma for m in TriggerLexicon.load().match(_NLP.make_doc(text), include_unmet=True)}
    assert lemma in lemmas, sorted(lemmas)


def test_plural_and_hyphenated_nouns() -> None:
    assert "195" in _codes("Overnight airstrikes hit the camp.")
    assert "195" in _codes("Overnight air strikes hit the camp.")
    assert "195" in _codes("Overnight air-strikes hit the camp.")
    assert "0871" in _codes("The cease-fires held.")


_LY_VERBS = frozenset(
    {"fly", "ally", "rely", "rally", "tally", "bully", "apply", "reply", "supply", "comply"}
)


def test_every_verb_phrase_inflects_a_verb_not_an_adverb() -> None:
    for entry in TriggerLexicon.load().entries:
        for phrase in entry.verbs:
            words = phrase.split()
            marked = [w for w in words if w.startswith("+")]
            head = marked[0][1:] if marked else words[0]
            adverb = head.endswith("ly") and head not in _LY_VERBS
            assert not (adverb and len(words) > 1), (entry.entry_id, phrase)


# ------------------------------------------------------------------------------ bad dictionaries
def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_loads_a_custom_directory(tmp_path: Path) -> None:
    _write(tmp_path, "19_fight.yaml", 'root: "19"\nentries:\n  - code: "195"\n    nouns: [airstrike]\n')
    lexicon = TriggerLexicon.from_directory(tmp_path)
    assert [e.entry_id for e in lexicon.entries] == ["19/195/airstrike"]
    assert lexicon.has_trigger(_NLP.make_doc("Two airstrikes hit the town."))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('root: "19"\nentries:\n  - code: "999"\n    verbs: [attack]\n', "3- or 4-digit CAMEO code"),
        ('root: "19"\nentries:\n  - code: "042"\n    verbs: [visit]\n', "does not belong to root 19"),
        ('root: "19"\nentries:\n  - code: "190"\n    verb: [attack]\n', "unknown field"),
        ('root: "19"\nentries:\n  - code: "190"\n', "at least one verb or noun"),
        (
            'root: "19"\nentries:\n  - code: "190"\n    verbs: [attack]\n    requires: ["@nope"]\n',
            "unknown topic",
        ),
        ('root: "19"\nentries:\n  - code: "190"\n    verbs: [attack\n', "not valid YAML"),
        ('root: "19"\nentries:\n  - code: "190"\n    verbs: [attack]\n    window: -3\n', "'window'"),
    ],
)
def test_malformed_dictionary_is_a_one_line_input_error(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path, "19_fight.yaml", text)
    with pytest.raises(InputError, match=message) as caught:
        TriggerLexicon.from_directory(tmp_path)
    assert "19_fight.yaml" in str(caught.value) and "\n" not in str(caught.value)


def test_missing_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        TriggerLexicon.from_directory(tmp_path / "absent")


def test_yaml_on_and_no_stay_words(tmp_path: Path) -> None:
    text = 'root: "12"\nentries:\n  - code: "120"\n    verbs: [no]\n    target_preps: [on, off]\n'
    entry = TriggerLexicon.from_directory(_write(tmp_path, "12_reject.yaml", text)).entries[0]
    assert entry.verbs == ("no",) and entry.target_preps == ("on", "off")


def test_british_and_american_spellings() -> None:
    assert spelling_variants("criticize") == frozenset({"criticize", "criticise"})
    assert "normalization" in spelling_variants("normalisation")
    assert "defence" in spelling_variants("defense", {"defense": "defence"})
    assert "111" in _codes("Islamabad criticised the strike.")
    assert "050" in _codes("The normalisation of ties was welcomed.")
    assert "062" in _codes("The two sides signed a defence cooperation accord.")


def test_dictionary_phrases_tokenize_as_spacy_does() -> None:
    from detente.coding.triggers._expand import tokenize_phrase

    lexicon = TriggerLexicon.load()
    phrases = {
        phrase.replace("+", "")
        for entry in lexicon.entries
        for phrase in (*entry.verbs, *entry.nouns, *entry.forbids, *(w for g in entry.requires for w in g))
    }
    for phrase in sorted(phrases):
        assert tokenize_phrase(phrase) == [t.lower_ for t in _NLP.make_doc(phrase)], phrase


def test_every_phrase_matches_its_own_entry() -> None:
    """Each dictionary phrase, followed by one word of each required group, yields its entry: catches
    phrases that their own forbids, except_forms or tokenization would silently disable."""
    lexicon = TriggerLexicon.load()
    dead = []
    for entry in lexicon.entries:
        context = " ".join(group[0] for group in entry.requires)
        for phrase in (*entry.verbs, *entry.nouns):
            base = phrase.replace("+", "")
            if " " not in base and base in entry.except_forms:
                continue
            doc = _NLP.make_doc(f"{base} {context}".strip())
            if entry.entry_id not in {m.entry_id for m in lexicon.match(doc)}:
                dead.append((entry.entry_id, phrase))
    assert dead == []
