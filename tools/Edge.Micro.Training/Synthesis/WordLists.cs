namespace Edge.Micro.Training.Synthesis;

/// <summary>Default words of the unknown class: near-misses of yes/no first, then everyday words.</summary>
public static class WordLists
{
    /// <summary>
    /// At least 50 words that are not keywords: a few near-misses of yes and no, mostly common words. Homophones of "no" ("know") are left out: espeak-ng renders
    /// them exactly like "no".
    /// </summary>
    public static string[] DefaultUnknown => [.. NearMisses, .. CommonWords];

    /// <summary>Words that sound like "yes" or "no" (hard negatives); the dataset draws them more often.</summary>
    public static readonly string[] NearMisses =
        ["left", "less", "guess", "yeah", "yet", "nope", "now", "mess", "yellow", "nose", "note", "snow", "new", "test"];

    /// <summary>Common words unlike the keywords.</summary>
    public static readonly string[] CommonWords =
    [
        "up", "down", "right", "on", "off", "stop", "go", "zero", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "ten", "bed", "bird", "cat", "dog", "happy", "house", "tree", "wow", "learn", "follow", "forward",
        "backward", "visual", "hello", "okay", "maybe", "never", "music", "light", "open", "close", "water", "morning",
        "table", "window", "play", "again", "please", "thanks", "good", "time", "people", "year", "way", "day", "man",
        "thing", "woman", "life", "child", "world", "school", "family", "student", "group", "country", "problem", "hand",
        "part", "place", "case", "week", "company", "system", "program", "question", "work", "number", "night", "point",
        "city", "money", "story", "fact", "month", "lot", "study", "book", "eye", "job", "word", "business", "side",
        "kind", "head", "friend", "father", "mother", "power", "hour", "game", "line", "end", "member", "car", "name",
    ];

    /// <summary>Sentences without the keywords, for babble noise and false-alarm streams.</summary>
    public static readonly string[] Sentences =
    [
        "The weather today is cold and windy with a little rain in the afternoon.",
        "Please put the blue box on the table next to the window.",
        "We walked along the river and talked about the old days.",
        "My brother bought a new bicycle last summer.",
        "The train to the city leaves at half past seven.",
        "She likes to read books about history and science.",
        "Turn left at the corner and you will see the station.",
        "Could you tell me where the nearest bakery is?",
        "The children played in the garden until it got dark.",
        "I think the meeting will take about an hour.",
        "Dinner is ready, come and sit down at the table.",
        "The little dog ran after the ball across the field.",
        "He forgot his keys at the office again.",
        "They are planning a trip to the mountains in spring.",
        "The music was loud and everybody was dancing.",
        "Open the door slowly, the cat is sleeping behind it.",
        "Our neighbours painted their house bright green.",
        "It takes ten minutes to walk to the market from here.",
        "The computer needs to restart after the update.",
        "Fresh bread and coffee make a good breakfast.",
        "Remember to water the plants while I am away.",
        "The film started late because of a problem with the sound.",
        "A cold wind was blowing from the sea all morning.",
        "I would like a cup of tea with milk, thank you.",
    ];
}
