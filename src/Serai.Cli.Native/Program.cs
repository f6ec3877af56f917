using Serai.Cli;

return ClientEntry.Run(args);
