using System.CommandLine;
using Edge.Micro.Fleet;
using Edge.Micro.Fleet.Gateway;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro gateway: bridges devices' consoles (serial ports, simulators' ptys) to an MQTT broker.</summary>
public static class GatewayCommand
{
    public static Command Create(TextWriter output)
    {
        var devices = new Option<string[]>("--device", "-d") { Description = "A device as id=port (repeatable): kitchen=/dev/ttyUSB0, or a simulator's pty", Required = true, AllowMultipleArgumentsPerToken = false };
        var broker = FleetOptions.Broker();
        var name = new Option<string?>("--name") { Description = "This gateway's name (its MQTT client id is edge-micro-gateway-<name>; default: the host name)" };
        var stats = new Option<double>("--stats-interval") { Description = "Seconds between each device's stats messages (default 10)", DefaultValueFactory = _ => 10 };
        var heartbeat = new Option<double>("--heartbeat-interval") { Description = "Seconds between heartbeats (default 5)", DefaultValueFactory = _ => 5 };
        var queue = new Option<int>("--queue") { Description = "Messages kept while the broker is away (default 100000; past it the oldest are dropped and counted)", DefaultValueFactory = _ => 100_000 };
        var answer = new Option<double>("--answer-timeout")
        {
            Description = "Seconds to wait for a device's answer to a console command before its command fails and the gateway reconnects (default 10)",
            DefaultValueFactory = _ => 10,
        };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: run until Ctrl-C)" };
        var command = new Command("gateway", "Bridge devices to an MQTT broker: detections, stats and heartbeats out (QoS 1, sequence-numbered), commands in (docs/fleet.md)")
        {
            devices, broker, name, stats, heartbeat, queue, answer, duration,
        };
        command.SetAction(parse =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string d in parse.GetValue(devices) ?? [])
            {
                int eq = d.IndexOf('=');
                if (eq <= 0 || eq == d.Length - 1 || !FleetTopics.IsDeviceId(d[..eq]) || !map.TryAdd(d[..eq], d[(eq + 1)..]))
                {
                    throw new CliException($"--device '{d}': give id=port once per device; ids are letters, digits, '-', '_' and '.'");
                }
            }

            if (parse.GetValue(answer) is not (> 0 and <= 3600))
            {
                throw new CliException($"--answer-timeout {parse.GetValue(answer)}: give seconds above 0 (at most 3600)");
            }

            (string host, int port) = FleetOptions.Parse(parse.GetValue(broker)!);
            var options = new GatewayOptions
            {
                BrokerHost = host, BrokerPort = port, Name = parse.GetValue(name) ?? Environment.MachineName.ToLowerInvariant(),
                StatsInterval = TimeSpan.FromSeconds(parse.GetValue(stats)), HeartbeatInterval = TimeSpan.FromSeconds(parse.GetValue(heartbeat)),
                QueueCapacity = parse.GetValue(queue), AnswerTimeout = TimeSpan.FromSeconds(parse.GetValue(answer)),
            };
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            if (parse.GetValue(duration) is double seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            var gateway = new FleetGateway(options, map);
            output.WriteLine($"gateway {options.Name}: {map.Count} device(s) -> mqtt://{host}:{port} (session {options.Session})");
            while (!stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)))
            {
                output.WriteLine($"broker {(gateway.Outbox.Connected ? "connected" : "away")}; published {gateway.Outbox.Published:N0}, queued {gateway.Outbox.Pending:N0}, " +
                    $"dropped {gateway.Outbox.Dropped:N0}; detections {gateway.Devices.Values.Sum(b => b.Detections):N0}");
            }

            gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();
            output.WriteLine($"stopped: published {gateway.Outbox.Published:N0}, dropped {gateway.Outbox.Dropped:N0}, left unsent {gateway.Outbox.Pending:N0}");
            return gateway.Outbox.Pending == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
