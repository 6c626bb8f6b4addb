namespace Edge.Micro.Device.Tests;

/// <summary>The device loop over long audio: detections, no memory growth, no dropped frames.</summary>
public class DeviceLoopTests
{
    [SkippableFact]
    public void An_hour_of_audio_runs_faster_than_real_time_with_fixed_memory_and_no_drops()
    {
        // One hour: the corpus background with a "yes" every 30 s.
        short[] minute = new short[60 * 16000];
        short[] background = TestDevice.Clip("silence_1000ms");
        for (int i = 0; i < minute.Length; i++)
        {
            minute[i] = background[i % background.Length];
        }

        TestDevice.Clip("yes_1000ms").CopyTo(minute, 10 * 16000);
        TestDevice.Clip("yes_1000ms").CopyTo(minute, 40 * 16000);
        var port = new FakePort();
        DeviceLoop device = TestDevice.Create(minute, port, loop: true, preferNative: true);
        device.Spotter.InferenceEveryFrames = 5;
        device.Recognizer.SetThreshold(2, 180);

        const long HourSamples = 3600L * 16000;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long samples = 0;
        long allocatedAfterWarmUp = 0;
        while (samples < HourSamples)
        {
            samples += device.Step();
            if (samples == 16000 * 60)
            {
                GC.Collect();
                allocatedAfterWarmUp = GC.GetAllocatedBytesForCurrentThread();
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedAfterWarmUp;
        Assert.True(clock.Elapsed.TotalSeconds < 3600, "slower than real time");
        Assert.Equal(0, allocated);
        Assert.Equal(0, device.Microphone.DroppedSamples);
        Assert.Equal(HourSamples / 320 - 1, device.Stats.Frames);
        Assert.InRange(device.Stats.DetectionsPerLabel[2], 100, 120); // two per minute
    }

    // An ESP32 on a stock image runs the managed kernels about 400 times slower than native code: an inference
    // then takes longer than the 20 ms of audio between two frames. The loop must notice within a second of
    // audio, say so once, lower its inference rate until it keeps up, and report all of it in stats.
    [SkippableFact]
    public void A_loop_that_cannot_keep_up_warns_once_and_lowers_its_inference_rate_until_it_does()
    {
        short[] audio = new short[10 * 16000];
        TestDevice.Clip("yes_1000ms").CopyTo(audio, 4 * 16000);
        var port = new FakePort();
        var platform = new FakePlatform();
        // 60 ms per inference: three frames' worth of audio, so every third frame at most keeps up.
        DeviceLoop device = TestDevice.Create(audio, port, preferNative: true, platform: platform,
            wrapKernels: k => new SlowKernels(k, platform, 60 * TimeSpan.TicksPerMillisecond));
        device.Shell.JsonMode = false;
        long samples = 0;
        while (samples < audio.Length)
        {
            samples += device.Step();
        }

        string[] lines = port.TakeLines();
        string[] warnings = lines.Where(l => l.StartsWith("WARN realtime:")).ToArray();
        Assert.Single(warnings);
        Assert.Contains("managed kernels", warnings[0]);
        Assert.Contains("custom firmware image", warnings[0]);
        Assert.Equal(4, device.Spotter.InferenceEveryFrames); // 1 -> 2 -> 4: 60 ms every 80 ms keeps up
        Assert.Equal(2, device.Stats.RealTimeFallbacks);

        port.Send("stats\n");
        device.Step();
        string[] stats = port.TakeLines();
        Assert.Contains("inferenceEveryFrames: 4", stats);
        Assert.Contains("realtimeFallbacks: 2", stats);
        Assert.Contains("audioMs: 10000", stats);
        long modelTenths = long.Parse(stats.Single(l => l.StartsWith("rtfModel: ")).Split(' ')[1].Replace(".", ""));
        Assert.InRange(modelTenths, 5, 20); // 10 s of audio for about 10.5 s of model time
        Assert.Single(stats, l => l.StartsWith("rtfFrontEnd: "));
        Assert.Single(stats, l => l.StartsWith("rtfRecognizer: "));
    }

    [SkippableFact]
    public void A_loop_that_keeps_up_never_changes_its_inference_rate()
    {
        short[] audio = new short[5 * 16000];
        var port = new FakePort();
        DeviceLoop device = TestDevice.Create(audio, port, preferNative: true);
        long samples = 0;
        while (samples < audio.Length)
        {
            samples += device.Step();
        }

        Assert.DoesNotContain(port.TakeLines(), l => l.StartsWith("WARN"));
        Assert.Equal(1, device.Spotter.InferenceEveryFrames);
        Assert.Equal(0, device.Stats.RealTimeFallbacks);
    }
}
