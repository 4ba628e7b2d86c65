/**
 * The two scenarios the product grew from, replayed through the same commands
 * a user would send. Names, places, offices and people come from the two news
 * reports (kept in `docs/seeds/`); obstacle details and national IDs the
 * reports do not give are illustrative and marked so.
 *
 * Every command carries an idempotency key derived from the scenario, so
 * running the seed twice records nothing new.
 */
import { systemPrincipal } from '../auth/principal';
import { FacilitationCommands } from '../commands/facilitation';
import { FollowUpCommands } from '../commands/follow-up';
import { RegistryCommands } from '../commands/registry';
import type { EventStore } from '../eventstore/event-store';
import type { CommandContext } from '../commands/handler';

/** The command handlers the scenarios go through: the same ones the API uses. */
export interface SeedCommands {
  commands: FacilitationCommands;
  registry: RegistryCommands;
  followUp: FollowUpCommands;
}

export interface SeedResult {
  zones: Record<string, string>;
  workgroups: Record<string, string>;
  agencies: Record<string, string>;
  visits: Record<string, string>;
  commitments: Record<string, string>;
  units: Record<string, string>;
  obstacles: Record<string, string>;
  meetings: Record<string, string>;
  resolutions: Record<string, string>;
}

const TEHRAN = '+03:30';
const at = (isoLocal: string): Date => new Date(`${isoLocal}${TEHRAN}`);

/** The 38 unplanned clusters of Islamshahr the province plans to turn into non-governmental parks (named by number: the report gives no names). */
export const ISLAMSHAHR_CLUSTERS = 38;

export const seedScenarios = async ({ commands, registry, followUp }: SeedCommands, actor = 'seed'): Promise<SeedResult> => {
  const result: SeedResult = { zones: {}, workgroups: {}, agencies: {}, visits: {}, commitments: {}, units: {}, obstacles: {}, meetings: {}, resolutions: {} };
  const principal = systemPrincipal(actor);
  const ctx = (key: string, now: Date): CommandContext => ({ principal, now, idempotencyKey: `seed:${key}`, correlationId: `seed:${key.split(':')[0]}` });

  // ─── Pakdasht: the county workgroup meets at Kharazmi industrial park ─────
  // «جلسه کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت در شهرک صنعتی خوارزمی برگزار شد»
  const pakdasht = { province: 'تهران', county: 'پاکدشت', location: 'شهرک صنعتی خوارزمی' };
  const setUp = at('2024-11-01T09:00:00');
  result.zones.kharazmi = (
    await registry.registerZone({ name: 'شهرک صنعتی خوارزمی', kind: 'INDUSTRIAL_PARK', province: 'تهران', county: 'پاکدشت' }, ctx('registry:zone:kharazmi', setUp))
  ).id;
  result.workgroups.pakdasht = (
    await registry.registerWorkgroup(
      { level: 'COUNTY', province: 'تهران', county: 'پاکدشت', name: 'کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت' },
      ctx('registry:workgroup:pakdasht', setUp),
    )
  ).id;
  result.workgroups.tehran = (
    await registry.registerWorkgroup(
      { level: 'PROVINCE', province: 'تهران', county: null, name: 'کارگروه تسهیل و رفع موانع تولید استان تهران' },
      ctx('registry:workgroup:tehran', setUp),
    )
  ).id;
  const agencies = [
    { key: 'smt', name: 'اداره صنعت، معدن و تجارت پاکدشت', kind: 'SMT' as const, county: 'پاکدشت' },
    { key: 'insurance', name: 'اداره بیمه و تامین اجتماعی', kind: 'SOCIAL_SECURITY' as const, county: 'پاکدشت' },
    { key: 'labour', name: 'اداره کار و رفاه اجتماعی', kind: 'LABOUR' as const, county: 'پاکدشت' },
    { key: 'melli', name: 'بانک ملی', kind: 'BANK' as const, county: null },
    { key: 'parks', name: 'شرکت شهرکهای صنعتی استان تهران', kind: 'INDUSTRIAL_PARKS' as const, county: null },
    { key: 'smt-province', name: 'سازمان صنعت، معدن و تجارت استان تهران', kind: 'SMT' as const, county: null },
    { key: 'telecom', name: 'شرکت مخابرات استان تهران', kind: 'TELECOM' as const, county: null },
    { key: 'islamshahr-municipality', name: 'شهرداری اسلامشهر', kind: 'MUNICIPALITY' as const, county: 'اسلامشهر' },
  ];
  for (const a of agencies) {
    result.agencies[a.key] = (
      await registry.registerAgency({ name: a.name, kind: a.kind, province: 'تهران', county: a.county }, ctx(`registry:agency:${a.key}`, setUp))
    ).id;
  }
  const companies = [
    { key: 'kia', name: 'کیا افق پایدار', nationalId: '10100000001', sector: 'صنایع فلزی', activityStatus: 'SEMI_ACTIVE' as const },
    { key: 'sorat', name: 'سرعت خانه ساز', nationalId: '10100000002', sector: 'مصالح ساختمانی', activityStatus: 'ACTIVE' as const },
    { key: 'ebtekar', name: 'ابتکار پلاستیک', nationalId: '10100000003', sector: 'پلاستیک', activityStatus: 'INACTIVE' as const },
    { key: 'madakam', name: 'ماداکام شرق', nationalId: '10100000004', sector: 'صنایع غذایی', activityStatus: 'SEMI_ACTIVE' as const },
  ];
  const registeredAt = at('2024-11-25T09:00:00');
  for (const c of companies) {
    const unit = await commands.registerUnit(
      { ...pakdasht, name: c.name, nationalId: c.nationalId, sector: c.sector, activityStatus: c.activityStatus, headCount: null, zoneId: result.zones.kharazmi },
      ctx(`pakdasht:unit:${c.key}`, registeredAt),
    );
    result.units[c.key] = unit.id;
  }

  // Illustrative obstacles: the report says the session addressed "the problems of four producers".
  const raised = at('2024-11-26T10:00:00');
  const obstacles = [
    { key: 'kia-bank', unit: 'kia', title: 'امهال تسهیلات بانکی سرمایه در گردش', category: 'BANKING' as const, priority: 'HIGH' as const },
    { key: 'ebtekar-insurance', unit: 'ebtekar', title: 'بدهی معوق بیمه تامین اجتماعی', category: 'SOCIAL_SECURITY' as const, priority: 'URGENT' as const },
    { key: 'madakam-gas', unit: 'madakam', title: 'افزایش ظرفیت انشعاب گاز', category: 'UTILITIES' as const, priority: 'NORMAL' as const },
  ];
  for (const o of obstacles) {
    const obstacle = await commands.raiseObstacle(
      { unitId: result.units[o.unit]!, title: o.title, description: 'نمونه برای نمایش (جزئیات در گزارش خبری نیامده است)', category: o.category, priority: o.priority },
      ctx(`pakdasht:obstacle:${o.key}`, raised),
    );
    result.obstacles[o.key] = obstacle.id;
  }
  await commands.referObstacle(
    { obstacleId: result.obstacles['kia-bank']!, leadAgencyId: result.agencies.melli!, cooperatingAgencies: ['اداره صمت'], deadline: at('2024-12-18T14:00:00') },
    ctx('pakdasht:refer:kia-bank', at('2024-11-26T11:00:00')),
  );
  await commands.referObstacle(
    { obstacleId: result.obstacles['ebtekar-insurance']!, leadAgencyId: result.agencies.insurance!, cooperatingAgencies: ['اداره کار و رفاه اجتماعی'], deadline: at('2024-12-18T14:00:00') },
    ctx('pakdasht:refer:ebtekar-insurance', at('2024-11-26T11:05:00')),
  );

  // «طبق روال چهارشنبه هر هفته … در محل شرکت سرعت خانه ساز برگزار شد»
  const meeting = await commands.scheduleMeeting(
    {
      ...pakdasht,
      workgroupId: result.workgroups.pakdasht,
      title: 'جلسه کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت',
      scheduledAt: at('2024-11-27T10:00:00'),
      venue: 'محل شرکت سرعت خانه ساز، شهرک صنعتی خوارزمی',
      chair: 'مهدی یوسفی جمارانی، فرماندار پاکدشت',
    },
    ctx('pakdasht:meeting', at('2024-11-24T12:00:00')),
  );
  result.meetings.pakdasht = meeting.id;
  for (const c of companies) {
    await commands.addAgendaItem(
      { meetingId: meeting.id, kind: 'UNIT', subjectId: result.units[c.key]!, note: 'بررسی مشکلات و رفع موانع تولید' },
      ctx(`pakdasht:agenda:${c.key}`, at('2024-11-26T12:00:00')),
    );
  }
  for (const o of obstacles) {
    await commands.addAgendaItem(
      { meetingId: meeting.id, kind: 'OBSTACLE', subjectId: result.obstacles[o.key]!, note: null },
      ctx(`pakdasht:agenda:${o.key}`, at('2024-11-26T12:05:00')),
    );
  }
  await commands.recordMeetingHeld(
    {
      meetingId: meeting.id,
      heldAt: at('2024-11-27T10:00:00'),
      attendees: [
        { name: 'مهدی یوسفی جمارانی', agency: 'فرمانداری پاکدشت', role: 'فرماندار، رئیس جلسه' },
        { name: 'علیمحمدی', agency: 'فرمانداری پاکدشت', role: 'معاون برنامه ریزی و امور عمرانی' },
        { name: 'مشاور اقتصادی فرماندار', agency: 'فرمانداری پاکدشت', role: 'مشاور اقتصادی' },
        { name: 'رئیس اداره صمت', agency: 'اداره صنعت، معدن و تجارت', role: 'رئیس اداره' },
        { name: 'رئیس اداره بیمه و تامین اجتماعی', agency: 'اداره بیمه و تامین اجتماعی', role: 'رئیس اداره' },
        { name: 'رئیس اداره کار و رفاه اجتماعی', agency: 'اداره کار و رفاه اجتماعی', role: 'رئیس اداره' },
        { name: 'مدیر عامل شهرک صنعتی خوارزمی', agency: 'شهرک صنعتی خوارزمی', role: 'مدیر عامل' },
        { name: 'نماینده شرکت شهرکهای صنعتی استان تهران', agency: 'شرکت شهرکهای صنعتی استان تهران', role: 'نماینده' },
      ],
      minutes:
        'بررسی وضعیت واحدهای نیمه فعال و غیرفعال و آسیب شناسی آنها منجر به تدوین برنامه کاری اجرایی و عملیاتی برای برون رفت از مشکلاتشان خواهد شد. فعال سازی واحدهای نیمه فعال و غیرفعال صنعتی شهرستان در اولویت کاری اداره صنعت، معدن و تجارت قرار دارد.',
    },
    ctx('pakdasht:held', at('2024-11-27T12:30:00')),
  );
  const resolution = await commands.recordResolution(
    {
      meetingId: meeting.id,
      text: 'مقرر شد بانک ملی ظرف ۲۰ روز نسبت به امهال تسهیلات سرمایه در گردش شرکت کیا افق پایدار اقدام کند.',
      leadAgencyId: result.agencies.melli!,
      cooperatingAgencies: ['اداره صمت'],
      deadline: at('2024-12-17T14:00:00'),
      obstacleId: result.obstacles['kia-bank']!,
    },
    ctx('pakdasht:resolution:kia-bank', at('2024-11-27T12:40:00')),
  );
  result.resolutions['kia-bank'] = resolution.id;
  // The resolution is communicated (ابلاغ), the bank does not object, reports progress and carries it out:
  // settling the case's last resolution closes the case.
  await followUp.communicateResolution({ resolutionId: resolution.id }, ctx('pakdasht:communicate:kia-bank', at('2024-11-28T10:00:00')));
  await commands.recordObstacleProgress(
    { obstacleId: result.obstacles['kia-bank']!, note: 'پرونده امهال در کمیته اعتباری شعبه مطرح شد.' },
    ctx('pakdasht:progress:kia-bank', at('2024-12-08T09:30:00')),
  );
  await followUp.reportResolutionProgress(
    { resolutionId: resolution.id, note: 'درخواست امهال در کمیته اعتباری شعبه تصویب شد.' },
    ctx('pakdasht:resolution-progress:kia-bank', at('2024-12-08T09:40:00')),
  );
  await followUp.recordResolutionOutcome(
    { resolutionId: resolution.id, outcome: 'IMPLEMENTED', note: 'تسهیلات سرمایه در گردش به مدت یک سال امهال شد.' },
    ctx('pakdasht:outcome:kia-bank', at('2024-12-15T11:00:00')),
  );
  // The insurance debt could not be settled in the county: it goes to the province.
  await followUp.escalateObstacle(
    { obstacleId: result.obstacles['ebtekar-insurance']!, toLevel: 'PROVINCE', workgroupId: result.workgroups.tehran!, reason: 'نیاز به تصمیم اداره کل تامین اجتماعی استان' },
    ctx('pakdasht:escalate:ebtekar-insurance', at('2024-12-18T15:00:00')),
  );
  await commands.changeUnitActivityStatus(
    { unitId: result.units.kia!, status: 'ACTIVE', reason: 'پس از امهال تسهیلات، تولید به ظرفیت کامل بازگشت.' },
    ctx('pakdasht:status:kia', at('2024-12-22T09:00:00')),
  );

  // ─── Islamshahr: the province's economic deputy visits ───────────────────
  // «کارگروه تسهیل و رفع موانع تولید استان تهران که در سالن جلسات فرمانداری شهرستان اسلامشهر برگزار شد»
  const islamshahr = { province: 'تهران', county: 'اسلامشهر' };
  const islamshahrSetUp = at('2024-04-20T09:00:00');
  result.zones.chahardangeh = (
    await registry.registerZone({ name: 'لکه صنعتی چهاردانگه', kind: 'INDUSTRIAL_CLUSTER', ...islamshahr }, ctx('registry:zone:chahardangeh', islamshahrSetUp))
  ).id;
  for (let n = 1; n < ISLAMSHAHR_CLUSTERS; n++) {
    result.zones[`cluster-${n}`] = (
      await registry.registerZone({ name: `محدوده صنعتی اسلامشهر شماره ${n}`, kind: 'INDUSTRIAL_CLUSTER', ...islamshahr }, ctx(`registry:zone:cluster-${n}`, islamshahrSetUp))
    ).id;
  }
  result.zones.shoeCity = (
    await registry.registerZone({ name: 'شهر کفش اسلامشهر', kind: 'SPECIALISED_PARK', ...islamshahr }, ctx('registry:zone:shoe-city', islamshahrSetUp))
  ).id;
  await registry.advanceClusterConversion(
    { zoneId: result.zones.chahardangeh, stage: 'APPLICATION_FILED', note: 'اصلاح مصوبه تبدیل لکه‌های صنعتی به شهرک غیردولتی در دولت در حال پیگیری است' },
    ctx('registry:zone:chahardangeh:application', at('2024-05-06T13:30:00')),
  );
  const shoe = await commands.registerUnit(
    {
      ...islamshahr,
      name: 'تولیدی کفش ماشینی چهاردانگه',
      nationalId: '10100000005', // illustrative
      sector: 'کفش ماشینی',
      location: 'لکه صنعتی چهاردانگه',
      headCount: 35,
      activityStatus: 'SEMI_ACTIVE',
      zoneId: result.zones.chahardangeh,
    },
    ctx('islamshahr:unit:shoe', at('2024-05-04T09:00:00')),
  );
  result.units.shoe = shoe.id;
  // «در بازدیدی که معاون اقتصادی استاندار تهران از برخی تولیدی های کفش اسلامشهر داشتند»
  const visit = await followUp.recordVisit(
    {
      visitedAt: at('2024-05-06T08:30:00'),
      visitors: [
        { name: 'حشمت الله عسگری', agency: 'استانداری تهران', role: 'معاون اقتصادی استاندار' },
        { name: 'محمود سیجانی', agency: 'سازمان صنعت، معدن و تجارت استان تهران', role: 'مدیرکل' },
      ],
      unitIds: [shoe.id],
      zoneId: result.zones.chahardangeh,
      ...islamshahr,
      purpose: 'بازدید میدانی از تولیدی‌های کفش اسلامشهر و لکه‌های صنعتی',
    },
    ctx('islamshahr:visit', at('2024-05-06T12:00:00')),
  );
  result.visits.shoe = visit.id;
  await followUp.recordVisitFindings(
    {
      visitId: visit.id,
      findings:
        'مشکلات واحدهایی که با دستگاه‌هایی مانند بانک‌ها مشکل دارند پیگیری شد. تأمین زیرساخت‌های آب، برق و گاز، ساماندهی لکه‌های صنعتی و نوسازی صنایع در دستور کار قرار گرفت.',
    },
    ctx('islamshahr:visit:findings', at('2024-05-06T12:10:00')),
  );
  const telecom = await commands.raiseObstacle(
    { unitId: shoe.id, title: 'مخابرات منطقه و آنتن‌دهی', description: '«بحث مخابرات منطقه و آنتن دهی خیابان پدر نیز به زودی عملیاتی شود»', category: 'TELECOM', priority: 'NORMAL', source: { kind: 'VISIT', id: visit.id } },
    ctx('islamshahr:obstacle:telecom', at('2024-05-05T10:00:00')),
  );
  result.obstacles.telecom = telecom.id;
  const paving = await commands.raiseObstacle(
    { zoneId: result.zones.chahardangeh, title: 'نصب المان در ورودی چهاردانگه و امور شهری', description: 'کارهایی که در حیطه وظایف شهرداری است', category: 'MUNICIPAL', priority: 'LOW', source: { kind: 'VISIT', id: visit.id } },
    ctx('islamshahr:obstacle:municipal', at('2024-05-05T10:05:00')),
  );
  result.obstacles.municipal = paving.id;
  const provincial = await commands.scheduleMeeting(
    {
      ...islamshahr,
      workgroupId: result.workgroups.tehran,
      title: 'کارگروه تسهیل و رفع موانع تولید استان تهران',
      scheduledAt: at('2024-05-06T10:00:00'),
      venue: 'سالن جلسات فرمانداری شهرستان اسلامشهر',
      chair: 'حشمت الله عسگری، معاون اقتصادی استاندار تهران',
    },
    ctx('islamshahr:meeting', at('2024-05-01T12:00:00')),
  );
  result.meetings.islamshahr = provincial.id;
  await commands.addAgendaItem(
    { meetingId: provincial.id, kind: 'UNIT', subjectId: shoe.id, note: 'ساماندهی صنایع کفش و احداث شهر کفش اسلامشهر' },
    ctx('islamshahr:agenda:shoe', at('2024-05-05T12:00:00')),
  );
  await commands.addAgendaItem(
    { meetingId: provincial.id, kind: 'OBSTACLE', subjectId: telecom.id, note: null },
    ctx('islamshahr:agenda:telecom', at('2024-05-05T12:01:00')),
  );
  await commands.recordMeetingHeld(
    {
      meetingId: provincial.id,
      heldAt: at('2024-05-06T10:00:00'),
      attendees: [
        { name: 'حشمت الله عسگری', agency: 'استانداری تهران', role: 'معاون اقتصادی استاندار' },
        { name: 'محمود سیجانی', agency: 'سازمان صنعت، معدن و تجارت استان تهران', role: 'مدیرکل' },
        { name: 'علی دهقان', agency: 'تولیدکنندگان کفش اسلامشهر', role: 'پیشکسوت صنعت کفش' },
      ],
      minutes:
        'با اصلاح مصوبه در دولت، بیش از ۳۸ محدوده صنعتی که اکنون به صورت لکه‌ای فعالیت می‌کنند به شهرک صنعتی غیردولتی تبدیل خواهند شد. ساماندهی صنایع چوب و کفش و توسعه انرژی‌های تجدیدپذیر در دستور کار قرار گرفت.',
    },
    ctx('islamshahr:held', at('2024-05-06T13:00:00')),
  );
  const shoeCity = await commands.recordResolution(
    {
      meetingId: provincial.id,
      text: 'مقرر شد صنایع کفش ماشینی در قالب شهرک صنعتی تخصصی (شهر کفش اسلامشهر) ساماندهی شود.',
      leadAgencyId: result.agencies['smt-province']!,
      cooperatingAgencies: ['شرکت شهرکهای صنعتی استان تهران', 'فرمانداری اسلامشهر'],
      deadline: at('2025-03-19T14:00:00'),
      unitId: shoe.id,
    },
    ctx('islamshahr:resolution:shoe-city', at('2024-05-06T13:10:00')),
  );
  result.resolutions['shoe-city'] = shoeCity.id;
  await commands.referObstacle(
    { obstacleId: telecom.id, leadAgencyId: result.agencies.telecom!, cooperatingAgencies: ['شهرداری اسلامشهر'], deadline: at('2024-08-21T14:00:00') },
    ctx('islamshahr:refer:telecom', at('2024-05-06T13:20:00')),
  );

  // «قول های مساعد معاون استاندار تهران در خصوص احداث شهر کفش اسلامشهر»: promises, with due dates the
  // report does not give (illustrative), so that "which promises are overdue?" has an answer.
  const promises = [
    { key: 'shoe-city', description: 'احداث شهر کفش اسلامشهر', madeBy: 'حشمت الله عسگری، معاون اقتصادی استاندار تهران', agency: null, due: '2025-03-19T14:00:00', zoneId: result.zones.shoeCity },
    { key: 'clusters', description: 'ساماندهی لکه‌های صنعتی و تبدیل به شهرک صنعتی غیردولتی', madeBy: 'حشمت الله عسگری، معاون اقتصادی استاندار تهران', agency: null, due: '2025-09-22T14:00:00', zoneId: result.zones.chahardangeh },
    { key: 'telecom', description: 'مخابرات منطقه و آنتن‌دهی خیابان پدر', madeBy: 'حشمت الله عسگری، معاون اقتصادی استاندار تهران', agency: 'شرکت مخابرات استان تهران', due: '2024-08-21T14:00:00', zoneId: result.zones.chahardangeh },
    { key: 'element', description: 'نصب المان در ورودی چهاردانگه', madeBy: 'شهرداری اسلامشهر', agency: 'شهرداری اسلامشهر', due: '2024-07-22T14:00:00', zoneId: result.zones.chahardangeh },
  ];
  for (const p of promises) {
    result.commitments[p.key] = (
      await followUp.makeCommitment(
        {
          madeBy: p.madeBy,
          agency: p.agency,
          madeTo: 'تولیدکنندگان کفش اسلامشهر',
          description: p.description,
          dueDate: at(p.due),
          source: { kind: 'VISIT', id: visit.id },
          zoneId: p.zoneId,
          unitIds: [shoe.id],
        },
        ctx(`islamshahr:commitment:${p.key}`, at('2024-05-06T12:20:00')),
      )
    ).id;
  }
  // «توانسته ایم … یکسری کارها که در حیطه وظایف شهرداری است را انجام دهیم»
  await followUp.recordCommitmentKept(
    { commitmentId: result.commitments.element!, evidence: 'به گفته پیشکسوتان کفش اسلامشهر، کارهای در حیطه وظایف شهرداری انجام شده است (نمونه).' },
    ctx('islamshahr:commitment:element:kept', at('2024-07-20T10:00:00')),
  );
  return result;
};

/** The command handlers over one store, for seeding without an app (CLI, tests). */
export const commandsFor = (store: EventStore): SeedCommands => ({
  commands: new FacilitationCommands(store),
  registry: new RegistryCommands(store),
  followUp: new FollowUpCommands(store),
});
