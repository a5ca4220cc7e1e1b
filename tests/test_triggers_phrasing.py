"""News phrasing the lexicon must offer as candidates: one sentence (written for these tests) per line,
across the CAMEO families, as a regression net for dictionary edits."""

from __future__ import annotations

import pytest
import spacy

from detente.coding.triggers import TriggerLexicon

_NLP = spacy.blank("en")

CASES = [
    ("The minister lauded the deal.", "051"),
    ("Kenya's president welcomed the Ethiopian leader to Nairobi.", "043"),
    ("The foreign ministers held a video conference.", "041"),
    ("The envoy shuttled between Riyadh and Sanaa.", "045"),
    ("Beijing brokered the deal.", "045"),
    ("Washington lifted the embargo.", "085"),
    ("The regime freed 200 political prisoners.", "0841"),
    ("The junta handed power to a civilian government.", "0831"),
    ("The rebels laid down their arms.", "0873"),
    ("The troops pulled out of the town.", "0874"),
    ("Iran allowed IAEA inspectors into the site.", "0862"),
    ("The government opened an investigation into the killings.", "090"),
    ("The court convicted the former president of corruption.", "116"),
    ("The opposition filed a lawsuit against the election commission.", "115"),
    ("Moscow warned Kyiv against joining NATO.", "130"),
    ("Seoul put its forces on alert.", "152"),
    ("Hundreds of tanks massed on the border.", "154"),
    ("Algeria cut diplomatic ties with Morocco.", "161"),
    ("Washington froze the assets of the oligarchs.", "163"),
    ("The EU slapped tariffs on Chinese steel.", "163"),
    ("The United States designated the group a terrorist organization.", "163"),
    ("Talks collapsed in Geneva.", "164"),
    ("The authorities detained the journalist.", "173"),
    ("Kuwait deported hundreds of migrants.", "174"),
    ("Security forces cracked down on protesters.", "175"),
    ("Gunmen stormed a hotel in the capital.", "180"),
    ("Pirates hijacked a tanker.", "181"),
    ("The army shelled rebel positions.", "194"),
    ("Russian jets bombed the town.", "195"),
    ("The two armies clashed along the border.", "190"),
    ("Troops seized the airport.", "192"),
    ("Government forces besieged the city.", "191"),
    ("Militias massacred villagers.", "202"),
    ("Saudi Arabia and Israel normalised relations.", "050"),
    ("The two countries agreed to exchange ambassadors.", "050"),
    ("The two presidents signed a free-trade agreement.", "057"),
    ("Japan donated $5 million to the relief effort.", "071"),
    ("Turkey sent search and rescue teams to Syria.", "073"),
    ("Ghana contributed troops to the UN mission.", "074"),
    ("The president apologised to the victims' families.", "055"),
    ("Tokyo expressed deep regret.", "055"),
    ("Ukraine asked allies for more weapons.", "0232"),
    ("The Pope called for an end to the war.", "027"),
    ("Iran offered to release the tanker.", "0353"),
    ("The ministers pledged to boost trade.", "0311"),
    ("Iraq vowed to crush the insurgency.", "138"),
    ("Farmers blocked roads with tractors.", "144"),
    ("Protesters clashed with police.", "145"),
    ("Workers staged a walkout.", "143"),
    ("China slammed the US move.", "111"),
    ("The foreign ministry lodged a protest with Delhi.", "114"),
    ("Lebanon filed a complaint with the Security Council.", "114"),
    ("Germany declared two Russian diplomats persona non grata.", "161"),
    ("The two leaders discussed bilateral ties.", "046"),
    ("Modi arrived in Washington on Tuesday.", "042"),
    ("Iran seized a British-flagged tanker.", "171"),
    ("Police raided the newspaper's offices.", "1711"),
    ("Settlers torched Palestinian olive groves.", "1712"),
    ("The junta banned the opposition party.", "1722"),
    ("Authorities shut down the internet.", "1721"),
    ("North Korea test-fired a ballistic missile.", "150"),
    ("The spokesman refused to be drawn on the matter.", "011"),
    ("Officials were upbeat about the prospects for a deal.", "013"),
    ("The cabinet is weighing sanctions against the regime.", "014"),
    ("Hamas claimed the rocket attack.", "015"),
    ("The ministry rejected the allegations as baseless.", "016"),
    ("Leaders laid wreaths at the memorial.", "017"),
    ("Macron offered his condolences to the Turkish people.", "018"),
    ("Both sides found common ground on climate.", "019"),
    ("The opposition called on the president to resign.", "0241"),
    ("Rights groups urged Cairo to free jailed activists.", "0253"),
    ("Qatar urged both parties to return to the negotiating table.", "026"),
    ("Japan promised emergency aid to the flood victims.", "0333"),
    ("The junta promised to hold elections next year.", "0341"),
    ("Moscow said it was ready to hold talks.", "036"),
    ("Indian and Chinese troops held joint drills.", "062"),
    ("Police questioned the minister over the bribes.", "091"),
    ("The ICC opened an investigation into war crimes in Ukraine.", "094"),
    ("The protesters demanded the release of political prisoners.", "1053"),
    ("The president dismissed calls to resign.", "1231"),
    ("Israel rejected calls for a ceasefire.", "1246"),
    ("Hamas rejected the Egyptian proposal.", "127"),
    ("The government refused to release the detainees.", "1243"),
    ("Kim threatened to launch a nuclear strike.", "1385"),
    ("Washington threatened to cut aid to Kabul.", "1311"),
    ("Thousands rallied in the capital demanding the president's resignation.", "1411"),
    ("Inmates went on a hunger strike to protest conditions.", "142"),
    ("Riots erupted after the verdict.", "145"),
    ("The army declared martial law.", "1724"),
    ("The government imposed a nationwide curfew.", "1723"),
    ("Security forces abducted the activist.", "181"),
    ("The soldiers tortured the prisoners.", "1822"),
    ("Rebels used civilians as human shields.", "184"),
    ("The two sides exchanged artillery fire.", "194"),
    ("Snipers opened fire on the crowd.", "193"),
    ("The regime dropped barrel bombs on the town.", "200"),
    ("The militia drove thousands of residents from their homes.", "201"),
    ("Syria used sarin gas against civilians.", "2041"),
    ("Oman facilitated talks between Iran and the US.", "045"),
    ("The king pardoned the dissidents.", "0841"),
    ("The rebels agreed to a truce.", "0871"),
    ("The IMF approved a $3 billion bailout.", "071"),
]


@pytest.mark.parametrize(("text", "code"), CASES)
def test_news_phrasing(text: str, code: str) -> None:
    codes = {m.code for m in TriggerLexicon.load().match(_NLP.make_doc(text))}
    assert code in codes, sorted(codes)


@pytest.mark.parametrize(
    "text",
    [
        "The markets hit a record high on Monday.",
        "The state budget was approved in March.",
        "He came back from the trip in a good mood.",
        "The plane was close to the border when the weather changed.",
        "Natural gas prices rose sharply.",
        "The strike price of the option was unchanged.",
        "The press gathered outside the court.",
    ],
)
def test_homographs_do_not_raise_conflict_candidates(text: str) -> None:
    codes = {m.code for m in TriggerLexicon.load().match(_NLP.make_doc(text))}
    assert not any(code[:2] in {"18", "19", "20", "14", "17"} for code in codes), sorted(codes)
