using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Evaluation;

/// <summary>
/// A keyword-free stream: its sentences, each spoken three times, by the given voices in turn;
/// <paramref name="VoiceSet"/> names the voices ("training", "held-out" or a list's description).
/// </summary>
public sealed record KeywordFreeStream(string Name, string Description, string[] Sentences, string[] Voices, string VoiceSet);

/// <summary>
/// Running speech without the keywords "yes" and "no", for counting false detections: synthesized with
/// espeak-ng and mixed with a recorded noise at a chosen signal-to-noise ratio. None of the sentences is a
/// babble sentence of the datasets, and none contains "know", which espeak-ng says exactly like "no".
/// </summary>
public static class KeywordFreeSpeech
{
    /// <summary>RMS level of the speech (and the reference of the SNR).</summary>
    public const float SpeechRms = 0.1f;

    /// <summary>Silence between two sentences (0.4 s).</summary>
    public const int GapSamples = 6400;

    /// <summary>How often each sentence is spoken (each time by the next voice).</summary>
    public const int Repeats = 3;

    /// <summary>Nine voices that also speak training clips (the datasets draw from the same catalog).</summary>
    public static readonly string[] TrainingVoices =
        ["en-us+m1", "en-gb+f3", "en-us+f4", "en-gb-scotland+m2", "en-029+m5", "de+m4", "fr-fr+f1", "en-us-nyc+m6", "es+f5"];

    /// <summary>Nine voices held out of every dataset's training split (<see cref="VoiceCatalog.IsHeldOut"/>).</summary>
    public static readonly string[] HeldOutVoices =
        ["en-gb-x-rp+m3", "en-us+f2", "nl+m1", "en-us+klatt2", "en-gb+grandpa", "en-us-nyc+linda", "en-029+Andy", "en-gb-x-rp+f4", "nl+f2"];

    /// <summary>Ordinary sentences, none close to a keyword.</summary>
    public static readonly KeywordFreeStream Ordinary = new("ordinary", "everyday sentences", [
        "The shop on the corner sells fresh fish and vegetables.", "Let us meet at the library at noon.",
        "She wrote a long letter to her grandmother.", "The river was quiet and the night was warm.",
        "My phone battery is almost empty again.", "We should paint the kitchen before the winter.",
        "The bus was late, so I walked to work.", "He plays the guitar in a small band on weekends.",
        "Could you pass me the salt and the pepper?", "The garden looks lovely after the rain.",
        "Our flight leaves early tomorrow morning.", "I have to finish this report by Friday.",
        "The museum is closed on Mondays.", "They built a new bridge across the valley.",
        "Please turn off the lights when you leave.", "The soup needs a little more salt.",
        "Her sister works at the hospital downtown.", "We watched a film about the ocean last night.",
        "The children are building a castle in the sand.", "It was the warmest day of the year.",
    ], TrainingVoices, "training");

    /// <summary>Sentences full of near-misses (yeah, yet, guess, less, nope, now, nobody, note...), a stress test.</summary>
    public static readonly KeywordFreeStream NearMiss = new("near-miss", "sentences full of near-misses", [
        "Yeah, I guess that is right.", "Not yet, maybe later tonight.", "Nobody noticed the note on the door.",
        "Yesterday was less busy than today.", "Nope, the shop is closed now.", "Yeah, yeah, I heard you the first time.",
        "I guess we could try again tomorrow.", "Now it is your turn to choose.", "There is nothing left in the fridge.",
        "Less noise, please, the baby is asleep.", "Yet another message from the bank.", "Nowhere is as quiet as the lake.",
        "Did you guess the answer to the last question?", "Yeah, it was a mess after the party.", "Now and then we go to the sea.",
        "Guess who called me this morning.", "That is not what I said.",
    ], TrainingVoices, "training");

    /// <summary>Other near-miss sentences, spoken only by voices held out of every dataset's training split.</summary>
    public static readonly KeywordFreeStream NearMissHeldOutVoices = new("near-miss-held-out", "other near-miss sentences", [
        "Yeah, that sounds like a plan.", "Yet nobody came to the party.", "Nope, I have never been there.",
        "Now we can finally go home.", "I guess the shop opens at nine.", "Yeah, sure, whatever you like.",
        "Nobody knows where the cat went.", "Less sugar in the tea, please.", "Not now, I am busy.",
        "Yellow leaves fell on the new road.", "Yesterday the snow was deep.", "Note the time on the letter.",
        "Yeah, we met at the station.", "Nowadays everybody has a phone.", "The test was less hard than I thought.",
    ], HeldOutVoices, "held-out");

    /// <summary>Every stream, by name.</summary>
    public static readonly KeywordFreeStream[] All = [Ordinary, NearMiss, NearMissHeldOutVoices];

    /// <summary>
    /// The stream's speech at RMS <see cref="SpeechRms"/> per sentence: every sentence <see cref="Repeats"/>
    /// times, each by the next voice, speed and pitch, after <see cref="GapSamples"/> of silence.
    /// </summary>
    public static float[] Render(KeywordFreeStream stream)
    {
        var speech = new List<float>();
        for (int i = 0; i < Repeats * stream.Sentences.Length; i++)
        {
            speech.AddRange(new float[GapSamples]);
            float[] s = Signal.TrimSilence(Espeak.Render(stream.Sentences[i % stream.Sentences.Length], stream.Voices[i % stream.Voices.Length],
                140 + 10 * (i % 5), 40 + 5 * (i % 4)));
            Signal.NormalizeRms(s, SpeechRms);
            speech.AddRange(s);
        }

        return speech.ToArray();
    }

    /// <summary>The speech plus <paramref name="noise"/> (looped) at <paramref name="snrDb"/> below the speech level, as 16-bit samples.</summary>
    public static short[] WithNoise(float[] speech, short[] noise, int snrDb)
    {
        if (noise.Length == 0)
        {
            throw new ArgumentException("the noise recording is empty");
        }

        float noiseRms = Signal.Rms(noise.Select(n => n / 32768f).ToArray());
        float gain = SpeechRms * (float)Math.Pow(10, -snrDb / 20.0) / Math.Max(noiseRms, 1e-6f);
        var mixed = new short[speech.Length];
        for (int i = 0; i < speech.Length; i++)
        {
            mixed[i] = Signal.ToPcm16(speech[i] + gain * noise[i % noise.Length] / 32768f);
        }

        return mixed;
    }
}
