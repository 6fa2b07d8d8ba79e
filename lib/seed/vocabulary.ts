// Words the sample conversations are made of.
export const FIRST_NAMES = [
  'Maria', 'James', 'Aaliyah', 'Jose', 'Emily', 'DeShawn', 'Mei', 'Carlos', 'Priya', 'Tyler', 'Fatima', 'Kevin', 'Jasmine',
  'Luis', 'Hannah', 'Andre', 'Sofia', 'Brandon', 'Keisha', 'Miguel', 'Olivia', 'Darnell', 'Ana', 'Ethan', 'Tanisha', 'Jorge',
  'Grace', 'Malik', 'Rosa', 'Kyle', 'Imani', 'Diego', 'Chloe', 'Terrell', 'Lucia', 'Ryan', 'Ebony', 'Juan', 'Megan', 'Xavier',
  'Nadia', 'Cody', 'Ayesha', 'Marcus', 'Linh', 'Derek', 'Yolanda', 'Samuel', 'Bianca', 'Trevor', 'Keanu', 'Esperanza', 'Omar',
];
export const LAST_INITIALS = 'ABCDEFGHJKLMNOPRSTVWY'.split('');

export interface Role {
  title: string;
  pay: [number, number];
  shift: string[];
  requirement: string;
  places: string[];
}

export const ROLES: Role[] = [
  { title: 'Warehouse Associate', pay: [17, 21], shift: ['Mon-Fri 6am-2:30pm', '2nd shift 3pm-11:30pm', 'weekend nights'], requirement: 'lift 50 lbs', places: ['Joliet', 'Romeoville', 'Ontario CA'] },
  { title: 'CDL-A Driver', pay: [26, 34], shift: ['regional, home weekly', 'local day cab, home daily', 'OTR 2 weeks out'], requirement: 'a CDL-A with 1 year experience', places: ['Dallas', 'Memphis', 'Columbus'] },
  { title: 'Registered Nurse', pay: [42, 55], shift: ['3x12 nights', '3x12 days', 'per diem'], requirement: 'an active RN license', places: ['St. Luke\'s', 'Mercy General', 'downtown clinic'] },
  { title: 'CNA', pay: [18, 22], shift: ['7a-3p', '3p-11p', '11p-7a'], requirement: 'a current CNA certification', places: ['Sunrise Senior Living', 'Oak Park rehab', 'Maple Grove'] },
  { title: 'Line Cook', pay: [17, 20], shift: ['dinner shifts 3-11pm', 'brunch weekends', 'full time days'], requirement: '1 year kitchen experience', places: ['Riverside', 'the Northgate location', 'downtown'] },
  { title: 'Retail Sales Associate', pay: [15, 17], shift: ['part time evenings', 'weekends', 'full time days'], requirement: 'weekend availability', places: ['Westfield mall', 'Main St store', 'the outlet center'] },
  { title: 'Forklift Operator', pay: [19, 23], shift: ['1st shift 5am-1:30pm', '2nd shift', '4x10s'], requirement: 'forklift certification', places: ['Aurora', 'Elk Grove', 'the Port facility'] },
  { title: 'Barista', pay: [15, 18], shift: ['opening shifts 5am', 'afternoons', 'weekends'], requirement: 'availability before 7am', places: ['5th Ave', 'the university cafe', 'Lakeview'] },
  { title: 'Security Officer', pay: [18, 22], shift: ['overnight 11p-7a', 'weekend days', 'swing'], requirement: 'a guard card', places: ['the hospital campus', 'a downtown office tower', 'the distribution center'] },
  { title: 'Call Center Representative', pay: [16, 19], shift: ['8am-5pm M-F', 'remote 10a-7p', 'hybrid'], requirement: 'a quiet space to work from home', places: ['remote', 'Tempe office', 'hybrid Phoenix'] },
  { title: 'Delivery Driver', pay: [18, 24], shift: ['4x10 routes', '5 days 8a-5p', 'weekend routes'], requirement: 'a clean driving record', places: ['Brooklyn', 'Queens', 'Jersey City'] },
  { title: 'HVAC Technician', pay: [27, 38], shift: ['M-F 7-4 with on-call', '4x10s', 'install crew days'], requirement: 'EPA 608 certification', places: ['north metro', 'south suburbs', 'Tampa'] },
  { title: 'Dental Assistant', pay: [20, 25], shift: ['M-Th 8-5', 'Tu-Sat', 'part time'], requirement: 'radiology certification', places: ['Bright Smiles Dental', 'Cedar Family Dentistry', 'Parkside Ortho'] },
  { title: 'Housekeeper', pay: [15, 18], shift: ['days 8-4:30', 'weekends', 'part time'], requirement: 'weekend availability', places: ['the Marriott', 'Hilton Garden Inn', 'the resort'] },
  { title: 'Medical Assistant', pay: [19, 23], shift: ['M-F 8-5', '4x10s', 'urgent care evenings'], requirement: 'an MA certificate', places: ['Northside Clinic', 'urgent care on Elm', 'family practice'] },
  { title: 'Electrician Apprentice', pay: [20, 26], shift: ['M-F 6:30-3', 'commercial jobsite days', '4x10s'], requirement: 'your own hand tools', places: ['the hospital build', 'downtown high-rise', 'data center project'] },
];

export const RECRUITERS = ['Jen', 'Marcus', 'Alyssa', 'Tom', 'Priscilla', 'Dev', 'Rachel', 'Omar'];
export const COMPANIES = ['StaffRight', 'Apex Staffing', 'BlueLine Talent', 'HireWell', 'Summit Workforce', 'TrueNorth Recruiting'];
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
export const TIMES = ['9am', '10am', '10:30', '11am', '1pm', '2pm', '2:30', '3pm', '4pm', '4:30'];
