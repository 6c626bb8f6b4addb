using System.Diagnostics;
using Edge.Micro.Converter;
using Edge.Micro.Fleet.Dashboard;
using Edge.Micro.Fleet.Gateway;
using Edge.Micro.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Edge.Micro.Fleet.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's chromium driven by Microsoft.Playwright, no browser download) over a real
/// broker, gateway and three simulated devices: the page lists the devices, the chart draws, a detection flagged as a
/// false trigger is counted, a threshold set on the page reaches a device, a model rolled out from the page runs on the device after its self-test, and a broken one
/// is refused while the device keeps its model. With EDGE_MICRO_SCREENSHOT=path it saves a screenshot of the page.
/// </summary>
public class DashboardBrowserTests
{
    public const string Chromium = "/usr/bin/chromium";

    [SkippableFact]
    public async Task The_page_lists_the_devices_draws_the_chart_and_its_actions_reach_the_devices()
    {
        if (!File.Exists(Chromium))
        {
            Assert.False(Corpus.InCi, "chromium is not installed: scripts/install-deps.sh installs it (CI=true: a failure)");
            Skip.If(true, "chromium is not installed (scripts/install-deps.sh)");
        }

        using var broker = new MosquittoBroker();
        using var fleet = new SimulatedFleet(3);
        await using var state = new FleetState("127.0.0.1", broker.Port, "test-page");
        await using var gateway = new FleetGateway(new GatewayOptions
        {
            BrokerPort = broker.Port, Name = "page", StatsInterval = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromSeconds(2),
        }, fleet.Ports);
        string url = $"http://127.0.0.1:{MosquittoBroker.FreePort()}";
        WebApplication app = DashboardServer.Build(state, url);
        await app.StartAsync();
        try
        {
            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
            IPage page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 900 } });
            await page.GotoAsync(url);

            // Every device listed and online, detections counted, the chart drawn.
            var rows = page.Locator("#devices tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(3, new() { Timeout = 60_000 });
            foreach (string id in fleet.Ids)
            {
                ILocator row = page.Locator($"#devices tr[data-device='{id}']");
                await Assertions.Expect(row.Locator("td.online")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
                await Assertions.Expect(row.Locator("td.detections")).ToContainTextAsync("yes", new() { Timeout = 30_000 });
            }

            await Assertions.Expect(page.Locator("#chart path.series")).Not.ToHaveCountAsync(0, new() { Timeout = 30_000 });
            string d = await page.Locator("#chart path.series").First.GetAttributeAsync("d") ?? "";
            Assert.True(d.Split('L').Length > 10, "the chart's line has too few points: " + d);

            // A detection flagged as a false trigger on the page is counted on its device's row (through the broker).
            // The list is redrawn as detections arrive, so the button is clicked by the detection it belongs to
            // (read from one element in one step in the page), not by its place: ".First" resolved twice can name
            // one device and click another's.
            await Assertions.Expect(page.Locator("#recent button.flag")).Not.ToHaveCountAsync(0, new() { Timeout = 30_000 });
            string[] detection = await page.EvaluateAsync<string[]>(
                "() => { const b = document.querySelector('#recent button.flag'); return [b.dataset.device, b.dataset.session, b.dataset.seq]; }");
            string flaggedDevice = detection[0];
            await page.Locator($"#recent button.flag[data-device='{detection[0]}'][data-session='{detection[1]}'][data-seq='{detection[2]}']").ClickAsync();
            await Assertions.Expect(page.Locator($"#devices tr[data-device='{flaggedDevice}'] td.flagged")).ToHaveTextAsync("1", new() { Timeout = 30_000 });

            // A threshold set on the page reaches the first device (its gateway reads it back from the device).
            string first = fleet.Ids[0];
            ILocator firstRow = page.Locator($"#devices tr[data-device='{first}']");
            await firstRow.Locator("input.pick").CheckAsync();
            await page.FillAsync("#label", "yes");
            await page.FillAsync("#value", "150");
            await page.ClickAsync("#set-threshold");
            await Assertions.Expect(firstRow.Locator("td.thresholds")).ToContainTextAsync("yes 150", new() { Timeout = 30_000 });
            Assert.Equal(150, (int?)state.LastHeartbeat(first)?["thresholds"]?["yes"]);
            await Assertions.Expect(page.Locator($"#devices tr[data-device='{fleet.Ids[1]}'] td.thresholds")).ToContainTextAsync("yes 200");

            // A model rolled out from the page: the device switches after its self-test.
            string folder = Directory.CreateTempSubdirectory("edge-micro-page").FullName;
            string v2 = Path.Combine(folder, "micro_speech_v2.emm");
            File.WriteAllBytes(v2, ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite")), "micro_speech_v2").Emm);
            await page.SetInputFilesAsync("#model", v2);
            await page.ClickAsync("#roll-out");
            await Assertions.Expect(firstRow.Locator("td.result")).ToContainTextAsync("the device runs micro_speech_v2", new() { Timeout = 60_000 });
            await Assertions.Expect(firstRow).ToContainTextAsync("micro_speech_v2", new() { Timeout = 30_000 });

            // A broken model (one byte changed): refused with the reason, the device keeps micro_speech_v2.
            byte[] broken = File.ReadAllBytes(v2);
            broken[broken.Length / 2] ^= 0x55;
            string brokenPath = Path.Combine(folder, "broken.emm");
            File.WriteAllBytes(brokenPath, broken);
            await page.SetInputFilesAsync("#model", brokenPath);
            await page.ClickAsync("#roll-out");
            await Assertions.Expect(firstRow.Locator("td.result")).ToContainTextAsync("keeps its model", new() { Timeout = 60_000 });
            await Assertions.Expect(firstRow).ToContainTextAsync("micro_speech_v2");
            Assert.Equal("micro_speech_v2", (string?)state.LastHeartbeat(first)?["model"]);

            if (Environment.GetEnvironmentVariable("EDGE_MICRO_SCREENSHOT") is string shot && shot.Length > 0)
            {
                await page.Locator($"#devices tr[data-device='{fleet.Ids[1]}'] input.pick").CheckAsync();
                await Task.Delay(1500);
                await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            }

            Directory.Delete(folder, recursive: true);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
