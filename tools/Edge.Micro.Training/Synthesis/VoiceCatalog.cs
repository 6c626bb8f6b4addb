namespace Edge.Micro.Training.Synthesis;

/// <summary>
/// The espeak-ng voices a dataset draws from: a base voice (language or accent) plus a variant (speaker
/// character). English bases give the accents of English; other languages reading the English words give
/// foreign accents. Some bases and variants are held out: every voice that uses one of them speaks only
/// validation clips, so no validation voice is ever heard in training.
/// </summary>
public static class VoiceCatalog
{
    /// <summary>English base voices.</summary>
    public static readonly string[] EnglishBases =
        ["en-us", "en-gb", "en-029", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-gb-x-rp", "en-us-nyc"];

    /// <summary>Other languages reading the English words (accents).</summary>
    public static readonly string[] AccentBases =
        ["de", "fr-fr", "es", "es-419", "it", "nl", "sv", "pl", "pt-br", "da", "nb", "fi", "cs", "ro", "id", "af", "hu", "tr", "sw", "cy"];

    /// <summary>Speaker variants (espeak-ng-data/voices/!v), robotic ones left out.</summary>
    public static readonly string[] Variants =
    [
        "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2", "klatt3",
        "Andy", "Annie", "Alex", "Alicia", "Andrea", "Denis", "Diogo", "Gene", "Henrique", "Hugo", "Jacky", "Lee",
        "Marco", "Mario", "Michael", "Mike", "adam", "anika", "aunty", "belinda", "benjamin", "boris", "caleb",
        "david", "ed", "edward", "john", "linda", "max", "michel", "miguel", "norbert", "pablo", "paul", "pedro",
        "quincy", "rob", "robert", "steph", "travis", "victor", "zac", "grandma", "grandpa", "shelby", "croak",
    ];

    /// <summary>Base voices used only for validation.</summary>
    public static readonly string[] HeldOutBases = ["en-gb-x-rp", "nl"];

    /// <summary>Variants used only for validation.</summary>
    public static readonly string[] HeldOutVariants = ["m3", "f2", "Andy", "linda", "klatt2", "grandpa"];

    /// <summary>Every base voice, English first.</summary>
    public static string[] AllBases => [.. EnglishBases, .. AccentBases];

    /// <summary>True when a voice (base + variant) belongs to validation.</summary>
    public static bool IsHeldOut(string baseVoice, string variant) =>
        HeldOutBases.Contains(baseVoice) || HeldOutVariants.Contains(variant);

    /// <summary>Picks a voice for a split: English bases two times in three, an accent otherwise.</summary>
    public static (string Base, string Variant) Pick(Random rng, bool validation)
    {
        while (true)
        {
            string[] bases = rng.Next(3) < 2 ? EnglishBases : AccentBases;
            string b = bases[rng.Next(bases.Length)];
            string v = Variants[rng.Next(Variants.Length)];
            if (IsHeldOut(b, v) == validation)
            {
                return (b, v);
            }
        }
    }
}
