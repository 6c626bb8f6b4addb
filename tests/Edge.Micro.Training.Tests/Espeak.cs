using Edge.Micro.TestSupport;

namespace Edge.Micro.Training.Tests;

/// <summary>Tests that synthesize speech need espeak-ng: skipped without it locally, a failure under CI=true.</summary>
public static class EspeakRequirement
{
    public static void Require()
    {
        bool available = Synthesis.Espeak.IsAvailable();
        if (!available && Corpus.InCi)
        {
            Assert.Fail("espeak-ng is not installed; scripts/install-deps.sh installs it (CI=true)");
        }

        Skip.IfNot(available, "espeak-ng is not installed (scripts/install-deps.sh espeak-ng)");
    }
}
