global using BpClub.Abstractions;
global using BpClub.Domain.Cards;
global using BpClub.Domain.Ledger;
global using BpClub.Domain.Validation;
global using BpClub.Grains.Cards.Storage;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;
global using static BpClub.Grains.Cards.CardViews;
