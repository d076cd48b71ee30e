import { BUILTIN_TRANSLATIONS } from './builtin-translations';
import { Scheme } from './scheme';

/**
 * Built-in threat-level schemes, seeded on first start (see DESIGN.md, "Schemes and levels").
 *
 * Level names, meanings and colours follow the real-world systems as closely as we can state them. Where a system
 * has no official colours, the colours below are our own green → red ramp and are marked as such; they are for
 * display only and carry no official meaning.
 */

/** Our own display ramp, used where a scheme publishes no official colours. */
const RAMP = {
  green: '#388e3c',
  lime: '#afb42b',
  yellow: '#fbc02d',
  orange: '#f57c00',
  red: '#d32f2f',
} as const;

const KZ_TERROR: Scheme = {
  id: 'kz-terror',
  name: 'Kazakhstan terrorism threat levels',
  event: 'terrorism threat level',
  description:
    'The three terrorism threat levels of the state system of monitoring information and notifying the population ' +
    'about the emergence of a terrorist threat, established by Decree of the President of the Republic of Kazakhstan ' +
    'No. 611 of 9 August 2013. A level is introduced for the whole country or for individual regions and cities ' +
    'for a set period; when no level is in force, the normal regime applies.',
  authority: 'Anti-Terrorist Centre of the Republic of Kazakhstan (National Security Committee, KNB)',
  country: 'KZ',
  // Colours: the levels are officially named by colour ("yellow", "orange", "red");
  // the exact hex values are ours.
  levels: [
    {
      code: 'yellow',
      rank: 1,
      name: 'Moderate',
      color: '#fbc02d',
      description:
        'Moderate ("yellow") level: introduced when there is information about a real possibility of a terrorist ' +
        'act that still needs to be confirmed.',
      measures: [
        'The public is advised to stay vigilant and report suspicious people, objects and behaviour to the police.',
        'Identity documents are checked more often, especially in crowded places and on transport.',
        'Police patrols of crowded places, transport hubs and public events are reinforced.',
        'Staff and security personnel at protected sites receive additional briefings on anti-terrorist security.',
      ],
      capSeverity: 'Minor',
    },
    {
      code: 'orange',
      rank: 2,
      name: 'High',
      color: '#f57c00',
      description:
        'High ("orange") level: introduced when the information about a real possibility of a terrorist act has ' +
        'been confirmed.',
      measures: [
        'Law-enforcement and special services actively search for the persons suspected of preparing the attack.',
        'Checks of compliance with migration rules and residence registration are tightened.',
        'Guarding of critical infrastructure, life-support facilities and other likely targets is reinforced.',
        'Vehicles are inspected at checkpoints and when entering protected sites.',
      ],
      capSeverity: 'Severe',
    },
    {
      code: 'red',
      rank: 3,
      name: 'Critical',
      color: '#d32f2f',
      description:
        'Critical ("red") level: introduced when a terrorist act has been committed and further (repeat) attacks ' +
        'are possible, or when there is information that several terrorist acts may be committed simultaneously.',
      measures: [
        'People, their belongings and vehicles may be searched.',
        'Movement of people and vehicles may be restricted or banned.',
        'Entry to premises and territory may be restricted.',
        'Telecommunications may be monitored and communication services restricted.',
        'People are evacuated from threatened areas where needed.',
      ],
      capSeverity: 'Extreme',
    },
  ],
};

const UK_TERROR: Scheme = {
  id: 'uk-terror',
  name: 'United Kingdom national terrorism threat levels',
  event: 'terrorism threat level',
  description:
    'The five-level UK national threat level, indicating the likelihood of a terrorist attack in the UK; since 2019 ' +
    'it covers all forms of terrorism. It is set by the Joint Terrorism Analysis Centre (JTAC) and MI5; MI5 ' +
    'separately sets the level for Northern Ireland-related terrorism in Northern Ireland. Each level maps to a ' +
    'protective-security response level: NORMAL, HEIGHTENED or EXCEPTIONAL.',
  authority: 'Joint Terrorism Analysis Centre (JTAC) and MI5 (Security Service)',
  country: 'GB',
  // Colours: the UK publishes no official colours for its threat levels; these are our own green → red ramp.
  levels: [
    {
      code: 'low',
      rank: 1,
      name: 'Low',
      color: RAMP.green,
      description: 'An attack is highly unlikely.',
      measures: [
        'Response level NORMAL: routine baseline protective security measures appropriate to each business and location.',
        'The public is asked to stay alert and report suspicious activity to the police.',
      ],
      capSeverity: 'Minor',
    },
    {
      code: 'moderate',
      rank: 2,
      name: 'Moderate',
      color: RAMP.lime,
      description: 'An attack is possible but not likely.',
      measures: [
        'Response level NORMAL: routine baseline protective security measures appropriate to each business and location.',
        'The public is asked to stay alert and report suspicious activity to the police.',
      ],
      capSeverity: 'Moderate',
    },
    {
      code: 'substantial',
      rank: 3,
      name: 'Substantial',
      color: RAMP.yellow,
      description: 'An attack is likely.',
      measures: [
        'Response level HEIGHTENED: additional, sustainable protective security measures reflecting the broad nature of the threat.',
        'Operators of crowded places and events review their security arrangements and staff vigilance.',
        'More visible policing at crowded places and transport hubs.',
      ],
      capSeverity: 'Severe',
    },
    {
      code: 'severe',
      rank: 4,
      name: 'Severe',
      color: RAMP.orange,
      description: 'An attack is highly likely.',
      measures: [
        'Response level HEIGHTENED: additional, sustainable protective security measures reflecting the broad nature of the threat.',
        'Increased armed and unarmed police presence at crowded places, events and transport hubs.',
        'Searches and bag checks at venues and events become more common.',
      ],
      capSeverity: 'Severe',
    },
    {
      code: 'critical',
      rank: 5,
      name: 'Critical',
      color: RAMP.red,
      description: 'An attack is highly likely in the near future.',
      measures: [
        'Response level EXCEPTIONAL: maximum protective security measures to meet specific threats and minimise vulnerability.',
        'Military personnel may be deployed to support armed police at key sites (Operation Temperer).',
        'Sites may be closed and events cancelled or postponed.',
        'The public is asked to follow police instructions and stay alert.',
      ],
      capSeverity: 'Extreme',
    },
  ],
};

const FR_VIGIPIRATE: Scheme = {
  id: 'fr-vigipirate',
  name: 'France Vigipirate plan levels',
  event: 'Vigipirate level',
  description:
    "France's Vigipirate plan, the government's permanent counter-terrorism vigilance, prevention and protection " +
    'plan, with three levels since December 2016. The level is decided by the Prime Minister on the basis of the ' +
    'SGDSN’s assessment and can apply to the whole country, a geographic area or a sector of activity.',
  authority:
    'Secrétariat général de la défense et de la sécurité nationale (SGDSN), under the Prime Minister',
  country: 'FR',
  // Colours: the Vigipirate logos are all red triangles and the plan has no distinct colour per level;
  // these are our own ramp.
  levels: [
    {
      code: 'vigilance',
      rank: 1,
      name: 'Vigilance',
      color: RAMP.yellow,
      description:
        '"Vigilance": the permanent security posture, valid everywhere and at all times, under which all the ' +
        'permanent measures of the plan apply.',
      measures: [
        'Permanent measures apply, such as surveillance of transport and public places and access control to public sites.',
        'Unattended luggage and suspicious behaviour are reported to the authorities.',
        'Operators of public venues and events maintain their baseline security arrangements.',
      ],
      capSeverity: 'Minor',
    },
    {
      code: 'securite-renforcee',
      rank: 2,
      name: 'Sécurité renforcée – risque attentat',
      color: RAMP.orange,
      description:
        '"Enhanced security – risk of attack": the State’s response to a high terrorist threat, for the whole ' +
        'country or a particular area or sector, with no set time limit. Permanent measures are reinforced and ' +
        'additional ones activated.',
      measures: [
        'Additional police, gendarmerie and Sentinelle military patrols, especially around places of worship, schools and stations.',
        'Screening and bag or body searches at the entrances of public buildings, venues and events.',
        'Restricted access and parking around schools and other sensitive sites.',
      ],
      capSeverity: 'Severe',
    },
    {
      code: 'urgence-attentat',
      rank: 3,
      name: 'Urgence attentat',
      color: RAMP.red,
      description:
        '"Attack emergency": maximum vigilance and protection, declared in the immediate aftermath of an attack or ' +
        'when an attack is documented and imminent (for example an identified terrorist group on the loose). It is ' +
        'short-lived, lasting for the time of crisis management, and may cover the whole country or a defined area.',
      measures: [
        'Exceptional mobilisation of security forces, including Sentinelle soldiers.',
        'Access controls for people and vehicles at public buildings are reinforced and bags checked at school entrances.',
        'Constraining measures may be taken, such as closing some roads and public transport or suspending school transport.',
        'Information to protect the public is broadcast through official channels.',
      ],
      capSeverity: 'Extreme',
    },
  ],
};

const NL_NCTV: Scheme = {
  id: 'nl-nctv',
  name: 'Netherlands terrorism threat levels',
  event: 'terrorism threat level',
  description:
    'The Dutch terrorism threat level (dreigingsniveau), on a scale of 1 to 5 since July 2016, set by the NCTV on ' +
    'the basis of the Terrorist Threat Assessment Netherlands (Dreigingsbeeld Terrorisme Nederland, DTN). It ' +
    'describes the general terrorist threat to the Netherlands over a longer period; level 5 may be declared for ' +
    'a specific part of the country.',
  authority: 'National Coordinator for Security and Counterterrorism (NCTV)',
  country: 'NL',
  // Colours: the NCTV publishes no official colour per level; these are our own green → red ramp.
  levels: [
    {
      code: '1',
      rank: 1,
      name: 'Minimal',
      color: RAMP.green,
      description: 'Level 1, Minimal (minimaal): an attack in the Netherlands is unlikely.',
      measures: [
        'Baseline security measures by government, businesses and organisations.',
        'The public is asked to report suspicious situations to the police.',
      ],
      capSeverity: 'Minor',
    },
    {
      code: '2',
      rank: 2,
      name: 'Limited',
      color: RAMP.lime,
      description:
        'Level 2, Limited (beperkt): the chance of an attack in the Netherlands is limited; an attack is less likely.',
      measures: [
        'Baseline security measures by government, businesses and organisations.',
        'Intelligence and security services monitor developments that could raise the threat.',
      ],
      capSeverity: 'Minor',
    },
    {
      code: '3',
      rank: 3,
      name: 'Significant',
      color: RAMP.yellow,
      description: 'Level 3, Significant (aanzienlijk): an attack in the Netherlands is conceivable.',
      measures: [
        'Police and security services pay heightened attention to potential targets.',
        'Government and vital-sector partners review their security arrangements.',
        'The public is asked to stay alert and report suspicious situations.',
      ],
      capSeverity: 'Moderate',
    },
    {
      code: '4',
      rank: 4,
      name: 'Substantial',
      color: RAMP.orange,
      description:
        'Level 4, Substantial (substantieel): there is a real chance of an attack in the Netherlands.',
      measures: [
        'Extra surveillance and security at potential targets such as crowded places, events, places of worship and transport hubs.',
        'More visible deployment of police and the Royal Netherlands Marechaussee at stations and airports.',
        'Organisers and operators take additional security measures for events and venues.',
      ],
      capSeverity: 'Severe',
    },
    {
      code: '5',
      rank: 5,
      name: 'Critical',
      color: RAMP.red,
      description:
        'Level 5, Critical (kritiek): there are very concrete indications that an attack in the Netherlands is ' +
        'about to take place, or an attack has taken place and further attacks are possible.',
      measures: [
        'Maximum security measures, possibly limited to the part of the country concerned.',
        'Locations may be closed or evacuated and events cancelled.',
        'The public is informed and instructed through official channels, including NL-Alert where needed.',
      ],
      capSeverity: 'Extreme',
    },
  ],
};

const AU_NTTAS: Scheme = {
  id: 'au-nttas',
  name: 'Australia National Terrorism Threat Advisory System levels',
  event: 'terrorism threat level',
  description:
    "Australia's National Terrorism Threat Advisory System, a five-level scale introduced in November 2015 that " +
    'informs the public about the likelihood of an act of terrorism occurring in Australia. The level is set on ' +
    'the advice of ASIO and explained to the public whenever it changes.',
  authority: 'Australian Security Intelligence Organisation (ASIO)',
  country: 'AU',
  // Colours: the system is officially colour-coded green (not expected), blue (possible), yellow (probable),
  // orange (expected) and red (certain); the exact hex values are ours.
  levels: [
    {
      code: 'not-expected',
      rank: 1,
      name: 'Not expected',
      color: RAMP.green,
      description:
        'There is no credible intelligence that individuals or groups have the intent and capability to conduct a ' +
        'terrorist attack in Australia; an attack is not expected.',
      measures: [
        'Baseline protective security at crowded places and critical infrastructure.',
        'The public is encouraged to report suspicious activity to the National Security Hotline (1800 123 400).',
      ],
      capSeverity: 'Minor',
    },
    {
      code: 'possible',
      rank: 2,
      name: 'Possible',
      color: '#1976d2',
      description:
        'Credible intelligence indicates that individuals or groups have limited intent or capability to conduct a ' +
        'terrorist attack in Australia; an attack is possible.',
      measures: [
        'Security and law-enforcement agencies continue counter-terrorism investigations and disruption.',
        'Owners and operators of crowded places review their protective security.',
        'The public is asked to report suspicious incidents to the National Security Hotline (1800 123 400).',
      ],
      capSeverity: 'Moderate',
    },
    {
      code: 'probable',
      rank: 3,
      name: 'Probable',
      color: RAMP.yellow,
      description:
        'Credible intelligence indicates that individuals or groups have the intent and capability to conduct a ' +
        'terrorist attack in Australia; ASIO assesses that an attack or attack planning in the next twelve months ' +
        'is more likely than not.',
      measures: [
        'Increased police presence at crowded places and major events.',
        'Owners and operators of crowded places strengthen their protective security.',
        'The public should exercise caution and report suspicious incidents to the National Security Hotline (1800 123 400).',
      ],
      capSeverity: 'Severe',
    },
    {
      code: 'expected',
      rank: 4,
      name: 'Expected',
      color: RAMP.orange,
      description:
        'Credible, specific intelligence indicates a current intention, capability and plan to conduct a terrorist ' +
        'attack in Australia; an attack is expected.',
      measures: [
        'Security is heightened at likely targets, with protective measures specific to the threat.',
        'Public events may be modified or cancelled.',
        'The public is given specific advice and asked to follow the instructions of police and authorities.',
      ],
      capSeverity: 'Severe',
    },
    {
      code: 'certain',
      rank: 5,
      name: 'Certain',
      color: RAMP.red,
      description: 'A terrorist attack is underway or will occur imminently.',
      measures: [
        'Emergency response by police and emergency services; areas may be locked down or evacuated.',
        'Movement may be restricted around affected areas.',
        'The public is told to follow official advice and, if caught in an attack, to Escape, Hide and Tell.',
      ],
      capSeverity: 'Extreme',
    },
  ],
};

const TRAVEL_ADVISORY: Scheme = {
  id: 'travel-advisory',
  name: 'Travel advisory levels',
  event: 'travel advisory level',
  description:
    'A four-level travel advisory scale for destinations, modelled on the US Department of State travel ' +
    'advisories. Levels are set by the publisher of this Tocsin instance, not by any government.',
  authority: 'Publisher-defined (modelled on the US Department of State travel advisories)',
  country: null,
  // Colours: approximately those of the State Department's travel advisory map (blue, yellow, orange, red);
  // the exact hex values are ours.
  levels: [
    {
      code: '1',
      rank: 1,
      name: 'Exercise normal precautions',
      color: '#1976d2',
      description:
        'The lowest advisory level: there is some risk in any international travel, and conditions may differ from ' +
        'home and change at any time.',
      measures: [
        'Follow local laws and customs and take the usual travel precautions.',
        'Register the trip with your embassy or consulate and keep emergency contacts at hand.',
      ],
      capSeverity: 'Minor',
    },
    {
      code: '2',
      rank: 2,
      name: 'Exercise increased caution',
      color: RAMP.yellow,
      description:
        'Be aware of heightened risks to safety and security; the advisory gives specific advice for the areas concerned.',
      measures: [
        'Stay alert in tourist areas, on public transport and in crowded places.',
        'Avoid demonstrations and large gatherings.',
        'Read the advisory for the specific risks and the areas they apply to.',
      ],
      capSeverity: 'Moderate',
    },
    {
      code: '3',
      rank: 3,
      name: 'Reconsider travel',
      color: RAMP.orange,
      description: 'Avoid travel due to serious risks to safety and security.',
      measures: [
        'Reconsider whether the trip is necessary.',
        'Prepare a contingency and departure plan that does not rely on government help.',
        'Share your itinerary and a communication plan with family or your employer.',
      ],
      capSeverity: 'Severe',
    },
    {
      code: '4',
      rank: 4,
      name: 'Do not travel',
      color: RAMP.red,
      description:
        'The highest advisory level, due to a greater likelihood of life-threatening risks; in an emergency, ' +
        'assistance may be very limited or impossible.',
      measures: [
        'Do not travel; if already there, leave as soon as it is safe to do so.',
        'Make a contingency plan, since consular help may be very limited or unavailable.',
        'Draft a will, designate insurance beneficiaries and agree proof-of-life questions with family.',
      ],
      capSeverity: 'Extreme',
    },
  ],
};

/** Each scheme with its texts in other languages (builtin-translations.ts); every scheme and level has `translations`. */
function withTranslations(scheme: Scheme): Scheme {
  const translations = BUILTIN_TRANSLATIONS[scheme.id];
  return {
    ...scheme,
    translations: translations?.scheme ?? {},
    levels: scheme.levels.map((level) => ({
      ...level,
      translations: translations?.levels[level.code] ?? {},
    })),
  };
}

export const BUILTIN_SCHEMES: readonly Scheme[] = [
  KZ_TERROR,
  UK_TERROR,
  FR_VIGIPIRATE,
  NL_NCTV,
  AU_NTTAS,
  TRAVEL_ADVISORY,
].map(withTranslations);
