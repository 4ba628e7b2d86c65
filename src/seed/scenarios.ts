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
import type { FacilitationCommands } from '../commands/facilitation';
import type { CommandContext } from '../commands/handler';

export interface SeedResult {
  units: Record<string, string>;
  obstacles: Record<string, string>;
  meetings: Record<string, string>;
  resolutions: Record<string, string>;
}

const TEHRAN = '+03:30';
const at = (isoLocal: string): Date => new Date(`${isoLocal}${TEHRAN}`);

export const seedScenarios = async (commands: FacilitationCommands, actor = 'seed'): Promise<SeedResult> => {
  const result: SeedResult = { units: {}, obstacles: {}, meetings: {}, resolutions: {} };
  const principal = systemPrincipal(actor);
  const ctx = (key: string, now: Date): CommandContext => ({ principal, now, idempotencyKey: `seed:${key}`, correlationId: `seed:${key.split(':')[0]}` });

  // ─── Pakdasht: the county workgroup meets at Kharazmi industrial park ─────
  // «جلسه کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت در شهرک صنعتی خوارزمی برگزار شد»
  const pakdasht = { province: 'تهران', county: 'پاکدشت', location: 'شهرک صنعتی خوارزمی' };
  const companies = [
    { key: 'kia', name: 'کیا افق پایدار', nationalId: '10100000001', sector: 'صنایع فلزی', activityStatus: 'SEMI_ACTIVE' as const },
    { key: 'sorat', name: 'سرعت خانه ساز', nationalId: '10100000002', sector: 'مصالح ساختمانی', activityStatus: 'ACTIVE' as const },
    { key: 'ebtekar', name: 'ابتکار پلاستیک', nationalId: '10100000003', sector: 'پلاستیک', activityStatus: 'INACTIVE' as const },
    { key: 'madakam', name: 'ماداکام شرق', nationalId: '10100000004', sector: 'صنایع غذایی', activityStatus: 'SEMI_ACTIVE' as const },
  ];
  const registeredAt = at('2024-11-25T09:00:00');
  for (const c of companies) {
    const unit = await commands.registerUnit(
      { ...pakdasht, name: c.name, nationalId: c.nationalId, sector: c.sector, activityStatus: c.activityStatus, headCount: null },
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
    { obstacleId: result.obstacles['kia-bank']!, leadAgency: 'بانک ملی', cooperatingAgencies: ['اداره صمت'], deadline: at('2024-12-18T14:00:00') },
    ctx('pakdasht:refer:kia-bank', at('2024-11-26T11:00:00')),
  );
  await commands.referObstacle(
    { obstacleId: result.obstacles['ebtekar-insurance']!, leadAgency: 'اداره بیمه و تامین اجتماعی', cooperatingAgencies: ['اداره کار و رفاه اجتماعی'], deadline: at('2024-12-18T14:00:00') },
    ctx('pakdasht:refer:ebtekar-insurance', at('2024-11-26T11:05:00')),
  );

  // «طبق روال چهارشنبه هر هفته … در محل شرکت سرعت خانه ساز برگزار شد»
  const meeting = await commands.scheduleMeeting(
    {
      ...pakdasht,
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
      leadAgency: 'بانک ملی',
      cooperatingAgencies: ['اداره صمت'],
      deadline: at('2024-12-17T14:00:00'),
      obstacleId: result.obstacles['kia-bank']!,
    },
    ctx('pakdasht:resolution:kia-bank', at('2024-11-27T12:40:00')),
  );
  result.resolutions['kia-bank'] = resolution.id;
  await commands.recordObstacleProgress(
    { obstacleId: result.obstacles['kia-bank']!, note: 'پرونده امهال در کمیته اعتباری شعبه مطرح شد.' },
    ctx('pakdasht:progress:kia-bank', at('2024-12-08T09:30:00')),
  );
  await commands.resolveObstacle(
    { obstacleId: result.obstacles['kia-bank']!, resolutionSummary: 'تسهیلات سرمایه در گردش به مدت یک سال امهال شد.' },
    ctx('pakdasht:resolve:kia-bank', at('2024-12-15T11:00:00')),
  );
  await commands.changeUnitActivityStatus(
    { unitId: result.units.kia!, status: 'ACTIVE', reason: 'پس از امهال تسهیلات، تولید به ظرفیت کامل بازگشت.' },
    ctx('pakdasht:status:kia', at('2024-12-22T09:00:00')),
  );

  // ─── Islamshahr: the province's economic deputy visits ───────────────────
  // «کارگروه تسهیل و رفع موانع تولید استان تهران که در سالن جلسات فرمانداری شهرستان اسلامشهر برگزار شد»
  const islamshahr = { province: 'تهران', county: 'اسلامشهر' };
  const shoe = await commands.registerUnit(
    {
      ...islamshahr,
      name: 'تولیدی کفش ماشینی چهاردانگه',
      nationalId: '10100000005', // illustrative
      sector: 'کفش ماشینی',
      location: 'لکه صنعتی چهاردانگه',
      headCount: 35,
      activityStatus: 'SEMI_ACTIVE',
    },
    ctx('islamshahr:unit:shoe', at('2024-05-04T09:00:00')),
  );
  result.units.shoe = shoe.id;
  const telecom = await commands.raiseObstacle(
    { unitId: shoe.id, title: 'مخابرات منطقه و آنتن‌دهی', description: '«بحث مخابرات منطقه و آنتن دهی خیابان پدر نیز به زودی عملیاتی شود»', category: 'TELECOM', priority: 'NORMAL' },
    ctx('islamshahr:obstacle:telecom', at('2024-05-05T10:00:00')),
  );
  result.obstacles.telecom = telecom.id;
  const paving = await commands.raiseObstacle(
    { unitId: shoe.id, title: 'نصب المان در ورودی چهاردانگه و امور شهری', description: 'کارهایی که در حیطه وظایف شهرداری است', category: 'MUNICIPAL', priority: 'LOW' },
    ctx('islamshahr:obstacle:municipal', at('2024-05-05T10:05:00')),
  );
  result.obstacles.municipal = paving.id;
  const provincial = await commands.scheduleMeeting(
    {
      ...islamshahr,
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
      leadAgency: 'سازمان صنعت، معدن و تجارت استان تهران',
      cooperatingAgencies: ['شرکت شهرکهای صنعتی استان تهران', 'فرمانداری اسلامشهر'],
      deadline: at('2025-03-19T14:00:00'),
      unitId: shoe.id,
    },
    ctx('islamshahr:resolution:shoe-city', at('2024-05-06T13:10:00')),
  );
  result.resolutions['shoe-city'] = shoeCity.id;
  await commands.referObstacle(
    { obstacleId: telecom.id, leadAgency: 'شرکت مخابرات استان تهران', cooperatingAgencies: ['شهرداری اسلامشهر'], deadline: at('2024-08-21T14:00:00') },
    ctx('islamshahr:refer:telecom', at('2024-05-06T13:20:00')),
  );
  return result;
};
