using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Edge.Micro.Fleet.Dashboard;

/// <summary>
/// The fleet dashboard (ASP.NET Core, served locally): the page (dashboard.html, embedded) polls /api/fleet; the
/// actions publish commands through the broker: thresholds for one device or a group, a model rolled out to a group,
/// a reboot, a detection flagged as a false trigger. Each command's result comes back from the device's gateway.
/// </summary>
public static class DashboardServer
{
    /// <summary>Largest model the page accepts.</summary>
    public const int MaxModelBytes = 512 * 1024;

    /// <summary>Builds the app on <paramref name="url"/> (e.g. http://127.0.0.1:8080) over <paramref name="state"/>.</summary>
    public static WebApplication Build(FleetState state, string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        WebApplication app = builder.Build();
        string page = Page();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/api/fleet", () => Results.Content(state.Snapshot().ToJsonString(), "application/json"));
        app.MapPost("/api/threshold", async (HttpRequest request) =>
        {
            JsonObject body = await Body(request);
            string label = (string?)body["label"] ?? "";
            int value = (int?)body["value"] ?? -1;
            if (label.Length == 0 || value is < 0 or > 255)
            {
                return Results.BadRequest(new { error = "give a label and a threshold from 0 to 255" });
            }

            return Send(state, body, () => new JsonObject { ["action"] = "threshold", ["label"] = label, ["value"] = value });
        });
        app.MapPost("/api/reboot", async (HttpRequest request) => Send(state, await Body(request), () => new JsonObject { ["action"] = "reboot" }));
        app.MapPost("/api/model", async (HttpRequest request) =>
        {
            if (!request.HasFormContentType || request.Form.Files.Count != 1)
            {
                return Results.BadRequest(new { error = "send one .emm file (form field 'model') and the devices (form field 'devices', comma-separated)" });
            }

            IFormFile file = request.Form.Files[0];
            if (file.Length == 0 || file.Length > MaxModelBytes)
            {
                return Results.BadRequest(new { error = $"the model must be 1 to {MaxModelBytes} bytes" });
            }

            using var bytes = new MemoryStream();
            await file.CopyToAsync(bytes);
            string emm = Convert.ToBase64String(bytes.ToArray());
            var body = new JsonObject { ["devices"] = new JsonArray(((string?)request.Form["devices"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => (JsonNode)d.Trim()).ToArray()) };
            return Send(state, body, () => new JsonObject { ["action"] = "push-model", ["emm"] = emm });
        });
        app.MapPost("/api/flag", async (HttpRequest request) =>
        {
            JsonObject body = await Body(request);
            string device = (string?)body["device"] ?? "";
            if (!FleetTopics.IsDeviceId(device) || body["session"] == null || body["seq"] == null)
            {
                return Results.BadRequest(new { error = "give the detection's device, session and seq" });
            }

            state.Flag(device, (long)body["session"]!, (long)body["seq"]!);
            return Results.Ok(new { flagged = true });
        });
        return app;
    }

    private static IResult Send(FleetState state, JsonObject body, Func<JsonObject> command)
    {
        string[] devices = (body["devices"] as JsonArray)?.Select(d => (string?)d ?? "").ToArray() ?? [];
        if (devices.Length == 0 || devices.Any(d => !FleetTopics.IsDeviceId(d)))
        {
            return Results.BadRequest(new { error = "choose one or more devices" });
        }

        var ids = new JsonObject();
        foreach (string device in devices)
        {
            ids[device] = state.SendCommand(device, command());
        }

        return Results.Content(new JsonObject { ["sent"] = ids }.ToJsonString(), "application/json");
    }

    private static async Task<JsonObject> Body(HttpRequest request)
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(request.Body) ?? new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return new JsonObject();
        }
    }

    private static string Page()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Edge.Micro.Fleet.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("dashboard.html is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
