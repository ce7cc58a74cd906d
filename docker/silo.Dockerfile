# syntax=docker/dockerfile:1
# The silo image (also runs the schema migration: `docker run IMAGE migrate`).
# Build from the repository root:  docker build -f docker/silo.Dockerfile -t bpclub/silo:TAG .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
# The schema scripts are embedded into BpClub.Grains at build time.
COPY cluster-config/migrations/ cluster-config/migrations/
# Every project under src/: the image's own, BpClub.Hosting (the wiring silo and front end share) and
# the libraries they reference; restore follows the project references.
COPY src/ src/
# The NuGet cache survives between builds; restore runs again only when a project file changed.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/BpClub.Silo/BpClub.Silo.csproj
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/BpClub.Silo/BpClub.Silo.csproj -c Release --no-restore -o /app

# The ASP.NET runtime image: Kestrel for the silo's probes and /metrics, ICU and tzdata for the
# programme's calendar (Europe/Kyiv).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The silo's own listener is Silo__HttpPort (8081); the image's default ASP.NET port does not apply.
ENV ASPNETCORE_HTTP_PORTS= \
    Silo__HttpAddress=0.0.0.0 \
    DOTNET_gcServer=1
# Orleans silo-to-silo, client gateway, HTTP (health and metrics).
EXPOSE 11111 30000 8081
# The non-root user that the .NET images provide (uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "BpClub.Silo.dll"]
