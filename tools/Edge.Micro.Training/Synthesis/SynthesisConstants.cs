namespace Edge.Micro.Training.Synthesis;

/// <summary>The clip geometry every dataset and model of the project shares (the micro_speech convention).</summary>
public static class SynthesisConstants
{
    /// <summary>Audio sample rate.</summary>
    public const int SampleRate = 16000;

    /// <summary>Samples in one training clip (1 s): the model's window.</summary>
    public const int ClipSamples = 16000;

    /// <summary>Background audio before the clip, so the front end's noise estimate has settled as it has in a stream.</summary>
    public const int WarmUpSamples = 8000;

    /// <summary>Feature frames per clip.</summary>
    public const int Frames = 49;

    /// <summary>Channels per frame.</summary>
    public const int Channels = 40;

    /// <summary>Bytes of int8 features per clip.</summary>
    public const int FeatureBytes = Frames * Channels;
}
