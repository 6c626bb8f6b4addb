using System.CommandLine;
using Edge.Micro.Fleet.Bench;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro fleet-bench: the broker path under load, printed (scripts/fleet-bench.sh starts the broker).</summary>
public static class FleetBenchCommand
{
    public static Command Create(TextWriter output)
    {
        var broker = FleetOptions.Broker();
        var devices = new Option<string>("--devices") { Description = "Device counts to try, comma-separated (default 100,1000,5000)", DefaultValueFactory = _ => "100,1000,5000" };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per step (default 20)", DefaultValueFactory = _ => 20 };
        var brokerPid = new Option<int?>("--broker-pid") { Description = "The broker's process id, to report its CPU" };
        var command = new Command("fleet-bench", "Load: N synthetic devices (a detection per second each, stats every 10 s) through one gateway outbox and one broker to one subscriber; prints delivery, latency percentiles and CPU")
        {
            broker, devices, seconds, brokerPid,
        };
        command.SetAction(parse =>
        {
            (string host, int port) = FleetOptions.Parse(parse.GetValue(broker)!);
            int[] steps;
            try
            {
                steps = parse.GetValue(devices)!.Split(',').Select(int.Parse).ToArray();
            }
            catch (FormatException)
            {
                throw new CliException($"--devices '{parse.GetValue(devices)}': give counts such as 100,1000,5000");
            }

            output.WriteLine($"{"devices",8} {"msgs/s",8} {"sent",9} {"delivered",9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"broker CPU",10} {"gateway+sub CPU",15} {"dropped",7}");
            foreach (int n in steps)
            {
                LoadStep s = FleetLoad.RunAsync(host, port, n, TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(brokerPid)).GetAwaiter().GetResult();
                output.WriteLine($"{s.Devices,8} {n * 1.1,8:0} {s.Expected,9} {s.Delivered,9} {s.P50Ms,8:0.0} {s.P95Ms,8:0.0} {s.P99Ms,8:0.0} {s.MaxMs,8:0.0} " +
                    $"{s.BrokerCpuPercent,9:0}% {s.GatewayCpuPercent,14:0}% {s.Dropped,7}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
