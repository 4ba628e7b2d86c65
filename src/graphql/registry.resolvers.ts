/** Resolvers of the registries: agencies, workgroups, zones (and a unit's zone and profile). */
import { AgencyResolver } from './agency.resolver';
import { Agency } from './agency.type';
import { jalaliResolver } from './jalali';
import { UnitZoneResolver } from './unit-registry.resolver';
import { WorkgroupResolver } from './workgroup.resolver';
import { Workgroup } from './workgroup.type';
import { ZoneResolver } from './zone.resolver';
import { ConversionStep, Zone } from './zone.type';

export const REGISTRY_RESOLVERS: Function[] = [
  AgencyResolver,
  WorkgroupResolver,
  ZoneResolver,
  UnitZoneResolver,
  // `…Jalali` twins of the registries' date fields.
  jalaliResolver(Agency, ['registeredAt', 'deactivatedAt']),
  jalaliResolver(Workgroup, ['registeredAt']),
  jalaliResolver(Zone, ['registeredAt', 'convertedAt']),
  jalaliResolver(ConversionStep, ['advancedAt']),
];
