using Edge.Micro.Converter;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Training.Evaluation;
using Edge.Micro.Training.Export;
using Edge.Micro.Training.Learning;
using Edge.Micro.Training.Quantization;
using Edge.Micro.Training.Synthesis;

namespace Edge.Micro.Training.Tests;

/// <summary>Synthesis -> training -> int8 export -> conversion -> the interpreter, at a size CI can afford.</summary>
public class EndToEndTrainingTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [SkippableFact]
    public void Same_seed_gives_the_same_dataset_and_another_seed_a_different_one()
    {
        EspeakRequirement.Require();
        var options = new DatasetOptions { Count = 4, Seed = 5 };
        (Dataset a, IReadOnlyList<ClipInfo> infoA) = DatasetBuilder.Build(options);
        (Dataset b, IReadOnlyList<ClipInfo> infoB) = DatasetBuilder.Build(options with { Threads = 1 });
        (Dataset c, _) = DatasetBuilder.Build(options with { Seed = 6 });

        Assert.Equal(4 * 2 + 4 + 2, a.Count);
        Assert.Equal(a.Features, b.Features);
        Assert.Equal(infoA, infoB);
        Assert.NotEqual(a.Features, c.Features);
        Assert.All(infoA.Where(i => i.LabelName != "silence"), i => Assert.False(string.IsNullOrEmpty(i.Voice)));
        Assert.All(infoA.Where(i => i.Validation), i => Assert.True(VoiceCatalog.IsHeldOut(i.Voice.Split('+')[0], i.Voice.Split('+')[1]) || i.LabelName == "silence"));
    }

    [SkippableFact]
    public void Phrase_share_turns_unknown_clips_into_running_speech_and_leaves_the_other_clips_as_they_were()
    {
        EspeakRequirement.Require();
        var words = new DatasetOptions { Count = 4, Seed = 5 };
        (Dataset single, IReadOnlyList<ClipInfo> singleInfo) = DatasetBuilder.Build(words);
        (Dataset phrases, IReadOnlyList<ClipInfo> phraseInfo) = DatasetBuilder.Build(words with { PhraseShare = 1 });

        int unknown = Array.IndexOf(single.Labels, "unknown");
        for (int i = 0; i < single.Count; i++)
        {
            int spoken = phraseInfo[i].Text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Length;
            if (single.ClipLabels[i] == unknown)
            {
                log.WriteLine($"unknown clip {i}: \"{phraseInfo[i].Text}\" ({phraseInfo[i].Voice})");
                Assert.InRange(spoken, DatasetOptions.PhraseWordsMin, DatasetOptions.PhraseWordsMax);
                Assert.NotEqual(single.Clip(i).ToArray(), phrases.Clip(i).ToArray());
            }
            else
            {
                Assert.Equal(singleInfo[i], phraseInfo[i]);
                Assert.Equal(single.Clip(i).ToArray(), phrases.Clip(i).ToArray());
            }
        }
    }

    [SkippableFact]
    public void Context_share_says_keywords_next_to_sentences_and_leaves_the_other_clips_as_they_were()
    {
        EspeakRequirement.Require();
        var words = new DatasetOptions { Count = 4, Seed = 5 };
        (Dataset alone, IReadOnlyList<ClipInfo> aloneInfo) = DatasetBuilder.Build(words);
        (Dataset inContext, IReadOnlyList<ClipInfo> contextInfo) = DatasetBuilder.Build(words with { ContextShare = 1 });

        for (int i = 0; i < alone.Count; i++)
        {
            string label = alone.Labels[alone.ClipLabels[i]];
            if (label is "yes" or "no")
            {
                string[] said = contextInfo[i].Text.ToLowerInvariant().Split([' ', ',', '.', '?', '!', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
                log.WriteLine($"{label} clip {i}: \"{contextInfo[i].Text}\" ({contextInfo[i].Effects})");
                Assert.StartsWith("context", contextInfo[i].Effects);
                Assert.Equal(1, said.Count(w => w == label));
                Assert.Contains("[sentence ", contextInfo[i].Text);
                Assert.NotEqual(alone.Clip(i).ToArray(), inContext.Clip(i).ToArray());
            }
            else
            {
                Assert.Equal(aloneInfo[i], contextInfo[i]);
                Assert.Equal(alone.Clip(i).ToArray(), inContext.Clip(i).ToArray());
            }
        }
    }

    [SkippableFact]
    public void Same_seed_trains_the_same_weights()
    {
        EspeakRequirement.Require();
        (Dataset data, _) = DatasetBuilder.Build(new DatasetOptions { Count = 10, Seed = 3 });
        var options = new TrainingOptions { Epochs = 2, Seed = 9, Threads = 2 };
        Network first = Trainer.Train(data, options);
        Network second = Trainer.Train(data, options);
        Network otherSeed = Trainer.Train(data, options with { Seed = 10 });

        Assert.Equal(first.Parameters, second.Parameters);
        Assert.NotEqual(first.Parameters[0], otherSeed.Parameters[0]);
    }

    [SkippableFact]
    public void A_short_training_on_a_few_hundred_clips_gives_an_int8_model_that_beats_chance_on_unseen_clips()
    {
        EspeakRequirement.Require();
        (Dataset train, _) = DatasetBuilder.Build(new DatasetOptions { Count = 100, Seed = 21, ValidationFraction = 0 });
        (Dataset test, _) = DatasetBuilder.Build(new DatasetOptions { Count = 30, Seed = 22, ValidationFraction = 0 });
        Network net = Trainer.Train(train, new TrainingOptions { Epochs = 25, Seed = 1 });
        QuantizedNetwork quantized = Quantizer.Quantize(net, train, Enumerable.Range(0, train.Count).ToArray(), "ci model");
        byte[] emm = ModelConverter.Convert(TfLiteWriter.Write(quantized), "ci_model").Emm;

        (float accuracy, _) = Int8Evaluator.Evaluate(emm, test, Enumerable.Range(0, test.Count).ToArray(), ManagedKernels());
        log.WriteLine($"int8 accuracy on {test.Count} unseen clips: {accuracy:P1}");
        // The largest class (unknown or a keyword) is 30 of 105 clips: chance is below 29%. This machine measured
        // 50.5%; the margin absorbs other vector widths (AVX2 / AVX-512 change float summation order).
        Assert.True(accuracy > 0.40f, $"int8 accuracy on unseen clips {accuracy:P1}");
    }

    private static IKernelSet ManagedKernels() => Edge.Micro.Host.Native.KernelChoice.Resolve("managed");
}
