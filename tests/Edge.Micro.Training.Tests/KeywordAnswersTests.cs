using Edge.Micro.Training.Evaluation;

namespace Edge.Micro.Training.Tests;

public class KeywordAnswersTests
{
    [Fact]
    public void A_detection_hits_a_keyword_of_its_label_from_its_start_to_a_second_after_it_once()
    {
        SpokenKeyword[] spoken = [new("yes", 16000, 24000), new("no", 48000, 56000)];
        AnswerScore score = KeywordAnswers.Score(spoken, [
            ("yes", 2500), // 1 s after "yes" ends at 1.5 s: a hit
            ("no", 1000),  // during "yes": wrong
            ("no", 3600),  // just after "no" ends: a hit
            ("no", 3700),  // the same "no" again: extra
        ]);

        Assert.Equal(new AnswerScore(2, 0, 2), score);
        Assert.Equal(new AnswerScore(0, 2, 1), KeywordAnswers.Score(spoken, [("yes", 2600)]));
        Assert.Equal(new AnswerScore(0, 2, 0), KeywordAnswers.Score(spoken, []));
    }

    [Fact]
    public void Questions_and_remarks_hold_no_keyword_and_the_answers_alternate()
    {
        foreach (string text in KeywordAnswers.Questions.Concat(KeywordAnswers.Remarks))
        {
            string[] words = text.ToLowerInvariant().Split([' ', ',', '.', '?', '!'], StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(words, w => w is "yes" or "no" or "know");
        }

        Assert.Equal(KeywordAnswers.Questions.Length / 2, Enumerable.Range(0, KeywordAnswers.Questions.Length).Count(i => KeywordAnswers.AnswerFor(i) == "yes"));
    }
}
