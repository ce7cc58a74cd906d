global using BpClub.Abstractions;
global using BpClub.Api.Audit;
global using BpClub.Api.Http;
global using BpClub.Api.Security;
global using BpClub.Domain.Validation;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.Extensions.Options;
global using System.Security.Claims;
