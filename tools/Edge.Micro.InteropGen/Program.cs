using Edge.Micro.InteropGen;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Edge.Micro.InteropGen <Edge.Micro.Interop.dll (nanoFramework build)> <output folder>");
    return 2;
}

if (!File.Exists(args[0]))
{
    Console.Error.WriteLine($"error: {args[0]} not found: run `dotnet build nf.proj` first");
    return 2;
}

var files = StubGenerator.Generate(args[0], out uint checksum, out var classes);
Directory.CreateDirectory(args[1]);
foreach (var (name, text) in files)
{
    File.WriteAllText(Path.Combine(args[1], name), text);
    Console.WriteLine($"wrote {Path.Combine(args[1], name)}");
}

Console.WriteLine($"native methods checksum 0x{checksum:X8}, {classes.Sum(c => c.Methods.Count(m => m.IsNative))} native method(s)");
return 0;
