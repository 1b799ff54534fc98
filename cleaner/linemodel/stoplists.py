"""Stopword lists by language, from jusText (BSD 2-clause): the "function words" of a language,
whose density tells prose from site chrome.

jusText ships lists for about 100 languages, named in English (``"French"``); they are looked
up here by ISO 639-1 code. Languages without a list (Chinese, Japanese, Thai...) get ``None``,
and the line model then does without the stopword features (it is trained for that case too).
"""

from __future__ import annotations

from functools import cache

#: ISO 639-1 code -> jusText's stoplist name, for the languages jusText covers.
JUSTEXT_NAMES = {
    "af": "Afrikaans",
    "ar": "Arabic",
    "az": "Azerbaijani",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "br": "Breton",
    "bs": "Bosnian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "fy": "West_Frisian",
    "ga": "Irish",
    "gl": "Galician",
    "gu": "Gujarati",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "ht": "Haitian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "jv": "Javanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "kn": "Kannada",
    "ko": "Korean",
    "ku": "Kurdish",
    "ky": "Kyrgyz",
    "la": "Latin",
    "lb": "Luxembourgish",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "nb": "Norwegian_Bokmal",
    "ne": "Nepali",
    "nl": "Dutch",
    "nn": "Norwegian_Nynorsk",
    "no": "Norwegian_Bokmal",
    "oc": "Occitan",
    "pa": "Western_Panjabi",
    "pl": "Polish",
    "pt": "Portuguese",
    "qu": "Quechua",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sr": "Serbian",
    "su": "Sundanese",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "tl": "Tagalog",
    "tr": "Turkish",
    "tk": "Turkmen",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "vi": "Vietnamese",
    "yo": "Yoruba",
}


@cache
def stoplist(lang: str) -> frozenset[bytes] | None:
    """The stopwords of ``lang`` (an ISO 639-1 code) as UTF-8 bytes (the line features split
    bytes), case-folded, with ``’`` written ``'`` and trailing punctuation stripped (jusText's
    lists hold ``ans,`` beside ``ans``); ``None`` when jusText has no list for it."""
    name = JUSTEXT_NAMES.get(lang)
    if name is None:
        return None
    import justext  # lazily: it imports lxml

    words = set()
    for word in justext.get_stoplist(name):
        word = word.casefold().replace("\u2019", "'").strip('.,;:!?"()«»')
        if word:
            words.add(word.encode("utf-8"))
    return frozenset(words)
