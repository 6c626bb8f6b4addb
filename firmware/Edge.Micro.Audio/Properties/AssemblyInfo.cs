using System.Reflection;

[assembly: AssemblyTitle("Edge.Micro.Audio")]
[assembly: AssemblyDescription("Edge.Micro audio front ends for .NET nanoFramework")]
[assembly: AssemblyProduct("Edge.Micro")]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
