// Who and what the sample conversations are about: people, employers and many kinds of jobs.
export const FIRST_NAMES = [
  'Maria', 'James', 'Aaliyah', 'Jose', 'Emily', 'DeShawn', 'Mei', 'Carlos', 'Priya', 'Tyler', 'Fatima', 'Kevin', 'Jasmine',
  'Luis', 'Hannah', 'Andre', 'Sofia', 'Brandon', 'Keisha', 'Miguel', 'Olivia', 'Darnell', 'Ana', 'Ethan', 'Tanisha', 'Jorge',
  'Grace', 'Malik', 'Rosa', 'Kyle', 'Imani', 'Diego', 'Chloe', 'Terrell', 'Lucia', 'Ryan', 'Ebony', 'Juan', 'Megan', 'Xavier',
  'Nadia', 'Cody', 'Ayesha', 'Marcus', 'Linh', 'Derek', 'Yolanda', 'Samuel', 'Bianca', 'Trevor', 'Keanu', 'Esperanza', 'Omar',
  'Brittany', 'Hector', 'Shanice', 'Dustin', 'Guadalupe', 'Tamika', 'Austin', 'Mohammed', 'Crystal', 'Wei', 'Destiny', 'Raul',
  'Heather', 'Jamal', 'Kayla', 'Tuan', 'Precious', 'Bryce', 'Alejandra', 'Devonte', 'Amber', 'Santiago', 'Latoya', 'Connor',
];
/** Names of candidates in the Spanish threads. */
export const SPANISH_NAMES = ['María', 'José', 'Guadalupe', 'Juan Carlos', 'Lupita', 'Alejandro', 'Rocío', 'Francisco', 'Yesenia', 'Jesús', 'Marisol', 'Ramón'];
export const LAST_INITIALS = 'ABCDEFGHJKLMNOPRSTVWY'.split('');

export interface Role {
  title: string;
  /** Hourly pay range in dollars. */
  pay: [number, number];
  shift: string[];
  /** A hard requirement: a candidate without it is not a fit. */
  requirement: string;
  /** How a candidate says they lack the requirement. */
  lacks: string[];
  places: string[];
  /** The job in Spanish, for the Spanish threads. */
  es?: string;
}

export const ROLES: Role[] = [
  { title: 'Warehouse Associate', pay: [17, 21], shift: ['Mon-Fri 6am-2:30pm', '2nd shift 3pm-11:30pm', 'weekend nights'], requirement: 'being able to lift 50 lbs', lacks: ["I can't lift heavy stuff anymore, bad back", 'i have a lifting restriction from my doctor'], places: ['Joliet', 'Romeoville', 'Ontario CA'], es: 'almacén' },
  { title: 'CDL-A Driver', pay: [26, 34], shift: ['regional, home weekly', 'local day cab, home daily', 'OTR 2 weeks out'], requirement: 'a CDL-A with 1 year of experience', lacks: ["I don't have my CDL yet", 'only have my permit, no CDL', "I got my CDL 2 months ago, no experience yet"], places: ['Dallas', 'Memphis', 'Columbus'], es: 'chofer CDL' },
  { title: 'Registered Nurse', pay: [42, 55], shift: ['3x12 nights', '3x12 days', 'per diem'], requirement: 'an active RN license', lacks: ["I'm an LPN not an RN", 'my RN license lapsed last year'], places: ["St. Luke's", 'Mercy General', 'the downtown clinic'] },
  { title: 'CNA', pay: [18, 22], shift: ['7a-3p', '3p-11p', '11p-7a'], requirement: 'a current CNA certification', lacks: ["my CNA cert expired", "I'm not certified yet, still in class"], places: ['Sunrise Senior Living', 'Oak Park Rehab', 'Maple Grove'], es: 'asistente de enfermería' },
  { title: 'Line Cook', pay: [17, 21], shift: ['dinner shifts 3-11pm', 'brunch weekends', 'full time days'], requirement: 'a year of kitchen experience', lacks: ["I've never worked in a kitchen", 'no restaurant experience, just cook at home lol'], places: ['Riverside', 'the Northgate location', 'downtown'], es: 'cocinero' },
  { title: 'Retail Sales Associate', pay: [15, 17], shift: ['part time evenings', 'weekends', 'full time days'], requirement: 'weekend availability', lacks: ["I can't work weekends at all", 'weekends are a no for me, church and kids'], places: ['Westfield mall', 'the Main St store', 'the outlet center'] },
  { title: 'Forklift Operator', pay: [19, 23], shift: ['1st shift 5am-1:30pm', '2nd shift', '4x10s'], requirement: 'a forklift certification', lacks: ["I don't have a forklift cert", 'never drove a forklift'], places: ['Aurora', 'Elk Grove', 'the Port facility'], es: 'operador de montacargas' },
  { title: 'Barista', pay: [15, 18], shift: ['opening shifts at 5am', 'afternoons', 'weekends'], requirement: 'availability before 7am', lacks: ["I can't do early mornings, I take my kids to school", 'no way I can be there before 7'], places: ['5th Ave', 'the university cafe', 'Lakeview'] },
  { title: 'Security Officer', pay: [18, 22], shift: ['overnight 11p-7a', 'weekend days', 'swing'], requirement: 'a guard card', lacks: ["I don't have a guard card", 'no security license'], places: ['the hospital campus', 'a downtown office tower', 'the distribution center'] },
  { title: 'Call Center Representative', pay: [16, 19], shift: ['8am-5pm M-F', 'remote 10a-7p', 'hybrid'], requirement: 'a quiet space to work from home', lacks: ["I don't have internet at home", 'my place is too loud for calls, 3 kids'], places: ['remote', 'the Tempe office', 'hybrid Phoenix'] },
  { title: 'Delivery Driver', pay: [18, 24], shift: ['4x10 routes', '5 days 8a-5p', 'weekend routes'], requirement: 'a clean driving record', lacks: ['I have a DUI from 2 years ago', 'my license is suspended right now'], places: ['Brooklyn', 'Queens', 'Jersey City'], es: 'repartidor' },
  { title: 'HVAC Technician', pay: [27, 38], shift: ['M-F 7-4 with on-call', '4x10s', 'install crew days'], requirement: 'EPA 608 certification', lacks: ["I don't have my EPA 608", 'no certs, just helped my uncle'], places: ['the north metro', 'the south suburbs', 'Tampa'] },
  { title: 'Dental Assistant', pay: [20, 25], shift: ['M-Th 8-5', 'Tu-Sat', 'part time'], requirement: 'a radiology certification', lacks: ["I'm not x-ray certified", 'no radiology cert yet'], places: ['Bright Smiles Dental', 'Cedar Family Dentistry', 'Parkside Ortho'] },
  { title: 'Housekeeper', pay: [15, 18], shift: ['days 8-4:30', 'weekends', 'part time'], requirement: 'weekend availability', lacks: ['I only want weekdays', "can't do weekends sorry"], places: ['the Marriott', 'Hilton Garden Inn', 'the resort'], es: 'limpieza' },
  { title: 'Medical Assistant', pay: [19, 23], shift: ['M-F 8-5', '4x10s', 'urgent care evenings'], requirement: 'an MA certificate', lacks: ["I don't have an MA certificate", 'no medical training'], places: ['Northside Clinic', 'the urgent care on Elm', 'a family practice'] },
  { title: 'Electrician Apprentice', pay: [20, 26], shift: ['M-F 6:30-3', 'commercial jobsite days', '4x10s'], requirement: 'your own hand tools', lacks: ["I don't own any tools", 'no tools and no car'], places: ['the hospital build', 'a downtown high-rise', 'the data center project'] },
  { title: 'Home Health Aide', pay: [16, 20], shift: ['4-hour visits', 'live-in weekends', 'mornings'], requirement: 'a car and a valid license', lacks: ["I don't drive", 'no car right now'], places: ['the east side', 'Cicero', 'Oak Lawn'], es: 'cuidador a domicilio' },
  { title: 'Pharmacy Technician', pay: [17, 21], shift: ['days 9-5:30', 'evenings', 'rotating weekends'], requirement: 'a state pharmacy tech license', lacks: ["I'm not licensed", 'no pharmacy license'], places: ['the Walgreens on 3rd', 'the hospital pharmacy', 'CVS on Main'] },
  { title: 'Janitor', pay: [15, 18], shift: ['nights 6pm-2:30am', 'early mornings', 'weekends'], requirement: 'a background check', lacks: ['I have a felony, will that be a problem? its from 2012', "I won't pass a background check"], places: ['the office park', 'the school district', 'the airport'], es: 'conserje' },
  { title: 'Landscaper', pay: [16, 20], shift: ['M-F 7-3:30', 'seasonal, Apr-Nov', '4x10s'], requirement: 'working outdoors all day', lacks: ["I can't be in the sun, health reasons", 'allergic to basically everything outside lol'], places: ['the west suburbs', 'Naperville', 'the golf course'], es: 'jardinero' },
  { title: 'Bank Teller', pay: [17, 20], shift: ['M-F 9-5', 'Tu-Sat', 'part time mornings'], requirement: 'cash handling experience', lacks: ['never handled cash', 'no cash register experience'], places: ['the Elm St branch', 'the downtown branch', 'Westgate'] },
  { title: 'Machine Operator', pay: [18, 23], shift: ['1st shift 6-2:30', '3rd shift', '12s, 2-2-3'], requirement: 'steel-toe boots and reading a tape measure', lacks: ["I can't stand for 8 hours, knee surgery", 'I need a sit down job'], places: ['the plant in Elgin', 'Bolingbrook', 'the Rockford plant'], es: 'operador de máquina' },
  { title: 'Server', pay: [12, 15], shift: ['dinners 4-close', 'lunch shifts', 'weekend doubles'], requirement: 'nights and weekends', lacks: ["I can't do nights", 'only free weekday lunches'], places: ['the steakhouse downtown', 'the Oak Brook location', 'the hotel restaurant'], es: 'mesero' },
  { title: 'Cashier', pay: [14, 16], shift: ['mornings', 'closing shifts', 'part time weekends'], requirement: 'being 18 or older', lacks: ["I'm 16, is that ok?", "I'm 17 til March"], places: ['the Food Lion on Route 9', 'the gas station on 5th', 'the Target in Hyde Park'] },
  { title: 'Customer Service Rep', pay: [16, 20], shift: ['9-6 M-F', 'remote evenings', '4x10s'], requirement: 'a computer at home', lacks: ['I only have my phone', 'no laptop'], places: ['remote', 'the Dallas office', 'hybrid Austin'] },
  { title: 'Welder', pay: [22, 30], shift: ['1st shift 6am-2:30pm', '2nd shift', '4x10s OT available'], requirement: 'passing a MIG weld test', lacks: ['only know stick welding', "I've never done MIG"], places: ['the fab shop in Gary', 'Hammond', 'the shipyard'], es: 'soldador' },
  { title: 'Medical Receptionist', pay: [16, 19], shift: ['M-F 8-4:30', 'part time afternoons', 'Tu-Sat'], requirement: 'front desk experience', lacks: ['never worked a front desk', 'no office experience'], places: ['the pediatric office', 'Lakeside Ortho', 'the dermatology clinic'] },
  { title: 'Caregiver', pay: [15, 19], shift: ['overnights', 'weekend days', 'live-in'], requirement: 'CPR certification', lacks: ["I'm not CPR certified", 'my CPR expired'], places: ['Golden Years assisted living', 'a private home in Evanston', 'Sunset Manor'], es: 'cuidadora' },
  { title: 'Package Handler', pay: [18, 22], shift: ['preload 4am-9am', 'twilight 5pm-10pm', 'weekends'], requirement: 'lifting up to 70 lbs', lacks: ["I can't lift that much", "I'm pregnant so no heavy lifting"], places: ['the hub by the airport', 'the Addison facility', 'the Hodgkins hub'], es: 'empacador' },
  { title: 'Dishwasher', pay: [15, 17], shift: ['nights 5-close', 'weekends', 'doubles'], requirement: 'nights until midnight', lacks: ['I need to be home by 9', 'no nights for me'], places: ['the Italian place downtown', 'the casino buffet', 'the country club'], es: 'lavaplatos' },
  { title: 'Maintenance Technician', pay: [22, 29], shift: ['M-F 7-3:30 plus on-call', '2nd shift', 'weekends'], requirement: 'basic electrical and plumbing skills', lacks: ["I'm not handy at all honestly", 'no maintenance experience'], places: ['the apartment complex on Ridge', 'the hotel', 'the plant'] },
  { title: 'Preschool Teacher', pay: [16, 20], shift: ['7:30-4', 'part time mornings', '10-6'], requirement: '12 ECE credits', lacks: ["I don't have any ECE credits", 'no early childhood classes yet'], places: ['Little Sprouts', 'the YMCA center', 'Bright Horizons on 2nd'] },
];

export const RECRUITERS = ['Jen', 'Marcus', 'Alyssa', 'Tom', 'Priscilla', 'Dev', 'Rachel', 'Omar', 'Kim', 'Luis', 'Brianna', 'Steve', 'Camila', 'Nate'];
export const COMPANIES = ['StaffRight', 'Apex Staffing', 'BlueLine Talent', 'HireWell', 'Summit Workforce', 'TrueNorth Recruiting', 'Keystone Staffing', 'Pathway Jobs', 'ProStaff', 'Elevate Workforce'];
/** Where a candidate says they heard of the job. */
export const SOURCES = ['Indeed', 'the sign out front', 'Facebook', 'a friend', 'Craigslist', 'ZipRecruiter', 'the company website', 'the job fair'];
/** Places a candidate may live that are far from the job. */
export const FAR_PLACES = ['the south side', 'Aurora', 'across town', 'the other side of the river', 'out by the airport', 'Gary', 'up north', 'the suburbs'];
