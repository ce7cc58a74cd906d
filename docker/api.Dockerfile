# syntax=docker/dockerfile:1
# The front-end image (ASP.NET Core, an Orleans client).
# Build from the repository root:  docker build -f docker/api.Dockerfile -t bpclub/api:TAG .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY cluster-config/migrations/ cluster-config/migrations/
# Every project under src/: the image's own, BpClub.Hosting (the wiring silo and front end share) and
# the libraries they reference; restore follows the project references.
COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/BpClub.Api/BpClub.Api.csproj
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/BpClub.Api/BpClub.Api.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "BpClub.Api.dll"]
