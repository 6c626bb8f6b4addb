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
}
