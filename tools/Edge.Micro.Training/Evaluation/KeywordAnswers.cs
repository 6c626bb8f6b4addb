using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Evaluation;

/// <summary>A keyword spoken in a stream: which, and the samples it covers.</summary>
public sealed record SpokenKeyword(string Keyword, int StartSample, int EndSample);

/// <summary>How a model did on an answers stream: keywords found, missed, and detections that match no keyword.</summary>
public sealed record AnswerScore(int Hits, int Misses, int WrongOrExtra);

/// <summary>
/// Running speech with the keywords in it, the counterpart of <see cref="KeywordFreeSpeech"/>: keyword-free
/// questions, each answered "Yes." or "No." and followed by a keyword-free remark, spoken by the voices in
/// turn. It measures what a model finds (recall), so that fewer false detections can be told apart from a
/// model that has gone deaf.
/// </summary>
public static class KeywordAnswers
{
    /// <summary>A detection counts for a keyword when it comes from its start to this long after its end.</summary>
    public const int LatenessSamples = SynthesisConstants.SampleRate;

    /// <summary>Questions (none holds a keyword), answered in turn yes, no, yes, no...</summary>
    public static readonly string[] Questions =
    [
        "Are you coming to dinner tonight?", "Did you lock the back door?", "Is the kettle on?", "Have you seen my glasses?",
        "Would you like some more tea?", "Is it raining outside?", "Can you hear the music?", "Did the parcel arrive?",
        "Shall we take the bus?", "Is the shop open on Sunday?", "Do you want the window open?", "Was the film any good?",
    ];

    /// <summary>Remarks after the answer (none holds a keyword).</summary>
    public static readonly string[] Remarks =
    [
        "I will be there at seven.", "Let me check again.", "The water is hot.", "They are on the table.",
        "Just a little, thank you.", "Take an umbrella.", "It is too quiet.", "It came this morning.",
    ];

    /// <summary>The keyword of question <paramref name="index"/>'s answer.</summary>
    public static string AnswerFor(int index) => index % 2 == 0 ? "yes" : "no";

    /// <summary>
    /// Every question answered once by each voice in turn, at RMS <see cref="KeywordFreeSpeech.SpeechRms"/> per
    /// utterance, with the samples each keyword covers.
    /// </summary>
    public static (float[] Speech, SpokenKeyword[] Keywords) Render(string[] voices)
    {
        var speech = new List<float>();
        var keywords = new List<SpokenKeyword>();
        for (int i = 0; i < Questions.Length * voices.Length; i++)
        {
            string voice = voices[i % voices.Length];
            int wpm = 140 + 10 * (i % 5), pitch = 40 + 5 * (i % 4);
            string answer = AnswerFor(i % Questions.Length);
            Say(speech, Questions[i % Questions.Length], voice, wpm, pitch);
            int start = speech.Count + KeywordFreeSpeech.GapSamples;
            Say(speech, char.ToUpperInvariant(answer[0]) + answer[1..] + ".", voice, wpm, pitch);
            keywords.Add(new SpokenKeyword(answer, start, speech.Count));
            Say(speech, Remarks[i % Remarks.Length], voice, wpm, pitch);
        }

        speech.AddRange(new float[KeywordFreeSpeech.GapSamples]);
        return (speech.ToArray(), keywords.ToArray());
    }

    /// <summary>
    /// Scores detections (label, time in ms) against the spoken keywords: a keyword is hit when a detection of
    /// it falls between its start and <see cref="LatenessSamples"/> after its end; every other detection, and a
    /// second one of the same keyword, is wrong or extra.
    /// </summary>
    public static AnswerScore Score(SpokenKeyword[] keywords, IEnumerable<(string Label, long TimeMs)> detections)
    {
        var hit = new bool[keywords.Length];
        int wrong = 0;
        foreach ((string label, long timeMs) in detections)
        {
            long sample = timeMs * SynthesisConstants.SampleRate / 1000;
            int k = -1;
            for (int j = 0; j < keywords.Length && k < 0; j++)
            {
                bool inTime = sample >= keywords[j].StartSample && sample <= keywords[j].EndSample + LatenessSamples;
                k = !hit[j] && keywords[j].Keyword == label && inTime ? j : -1;
            }

            if (k >= 0)
            {
                hit[k] = true;
            }
            else
            {
                wrong++;
            }
        }

        int hits = hit.Count(h => h);
        return new AnswerScore(hits, keywords.Length - hits, wrong);
    }

    private static void Say(List<float> speech, string text, string voice, int wpm, int pitch)
    {
        speech.AddRange(new float[KeywordFreeSpeech.GapSamples]);
        float[] s = Signal.TrimSilence(Espeak.Render(text, voice, wpm, pitch));
        Signal.NormalizeRms(s, KeywordFreeSpeech.SpeechRms);
        speech.AddRange(s);
    }
}
