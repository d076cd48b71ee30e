import { LevelTranslations, SchemeTranslations } from './scheme';

/**
 * The built-in schemes' texts in other languages than their English originals (DESIGN.md §5.2): kz-terror in
 * Russian and Kazakh, fr-vigipirate in French, nl-nctv in Dutch. Level names are the official ones: for
 * Kazakhstan those of Decree of the President No. 611 of 9 August 2013 (умеренный («желтый»), высокий
 * («оранжевый»), критический («красный»); қалыпты («сары»), жоғары («қызғылт сары»), қатерлі («қызыл»)),
 * lower-case as the decree writes them; for France the SGDSN's; for the Netherlands the NCTV's. Other texts are
 * our translations of the English ones. `event` fits "<area> — <event>: <level>" in its language, as in English.
 */
export interface BuiltinTranslations {
  scheme: SchemeTranslations;
  levels: Record<string, LevelTranslations>;
}

export const BUILTIN_TRANSLATIONS: Readonly<Record<string, BuiltinTranslations>> = {
  'kz-terror': {
    scheme: {
      ru: {
        name: 'Уровни террористической опасности Республики Казахстан',
        event: 'уровень террористической опасности',
        description:
          'Три уровня террористической опасности государственной системы мониторинга информации и оповещения ' +
          'населения о возникновении угрозы акта терроризма, установленные Указом Президента Республики Казахстан ' +
          'от 9 августа 2013 года № 611. Уровень вводится на всей территории страны или в отдельных регионах и ' +
          'городах на определённый срок; когда уровень не введён, действует обычный режим.',
      },
      kk: {
        name: 'Қазақстан Республикасының террористік қауіп деңгейлері',
        event: 'террористік қауіп деңгейі',
        description:
          'Қазақстан Республикасы Президентінің 2013 жылғы 9 тамыздағы № 611 Жарлығымен белгіленген, ақпаратты ' +
          'мониторингтеудің және халықты терроризм актісі қатерінің туындауы туралы хабардар етудің мемлекеттік ' +
          'жүйесінің үш террористік қауіп деңгейі. Деңгей бүкіл ел аумағында немесе жекелеген өңірлер мен ' +
          'қалаларда белгілі бір мерзімге енгізіледі; деңгей енгізілмеген кезде қалыпты режим қолданылады.',
      },
    },
    levels: {
      yellow: {
        ru: {
          name: 'умеренный («желтый»)',
          description:
            'Умеренный («желтый») уровень вводится при наличии требующей подтверждения информации о реальной ' +
            'возможности совершения акта терроризма.',
          measures: [
            'Населению рекомендуется проявлять бдительность и сообщать в полицию о подозрительных лицах, предметах и поведении.',
            'Чаще проверяются документы, удостоверяющие личность, особенно в местах массового пребывания людей и на транспорте.',
            'Усиливается патрулирование полицией мест массового пребывания людей, транспортных узлов и массовых мероприятий.',
            'Персонал и охрана объектов, уязвимых в террористическом отношении, проходят дополнительные инструктажи по антитеррористической защищённости.',
          ],
        },
        kk: {
          name: 'қалыпты («сары»)',
          description:
            'Қалыпты («сары») деңгей терроризм актісін жасаудың нақты мүмкіндігі туралы расталуын талап ететін ' +
            'ақпарат болған кезде енгізіледі.',
          measures: [
            'Халыққа қырағылық танытып, күдікті адамдар, заттар мен мінез-құлық туралы полицияға хабарлау ұсынылады.',
            'Жеке басты куәландыратын құжаттар, әсіресе адамдар көп жиналатын орындарда және көлікте, жиірек тексеріледі.',
            'Адамдар көп жиналатын орындарды, көлік тораптарын және көпшілік іс-шараларды полицияның патрульдеуі күшейтіледі.',
            'Терроризм тұрғысынан осал объектілердің персоналы мен күзетіне терроризмге қарсы қорғалу бойынша қосымша нұсқама беріледі.',
          ],
        },
      },
      orange: {
        ru: {
          name: 'высокий («оранжевый»)',
          description:
            'Высокий («оранжевый») уровень вводится при подтверждении информации о реальной возможности ' +
            'совершения акта терроризма.',
          measures: [
            'Правоохранительные и специальные государственные органы ведут активный розыск лиц, подозреваемых в подготовке акта терроризма.',
            'Ужесточается проверка соблюдения миграционного законодательства и правил регистрации по месту жительства.',
            'Усиливается охрана объектов критической инфраструктуры, жизнеобеспечения и других вероятных целей.',
            'Транспортные средства досматриваются на контрольно-пропускных пунктах и при въезде на охраняемые объекты.',
          ],
        },
        kk: {
          name: 'жоғары («қызғылт сары»)',
          description:
            'Жоғары («қызғылт сары») деңгей терроризм актісін жасаудың нақты мүмкіндігі туралы ақпарат ' +
            'расталған кезде енгізіледі.',
          measures: [
            'Құқық қорғау және арнаулы мемлекеттік органдар терроризм актісін дайындады деп күдік келтірілген адамдарды белсенді іздестіреді.',
            'Көші-қон заңнамасының және тұрғылықты жері бойынша тіркелу қағидаларының сақталуын тексеру қатаңдатылады.',
            'Маңызды инфрақұрылым, тіршілікті қамтамасыз ету объектілері мен басқа да ықтимал нысаналарды күзету күшейтіледі.',
            'Көлік құралдары бақылау-өткізу пункттерінде және күзетілетін объектілерге кірген кезде тексеріледі.',
          ],
        },
      },
      red: {
        ru: {
          name: 'критический («красный»)',
          description:
            'Критический («красный») уровень вводится при совершении акта терроризма и возможности совершения ' +
            'повторных актов терроризма или при наличии информации о возможном одновременном совершении ' +
            'нескольких актов терроризма.',
          measures: [
            'Может проводиться досмотр граждан, их вещей и транспортных средств.',
            'Передвижение людей и транспортных средств может ограничиваться или запрещаться.',
            'Доступ в помещения и на территории может ограничиваться.',
            'Возможны контроль телекоммуникаций и ограничение услуг связи.',
            'При необходимости людей эвакуируют из районов, находящихся под угрозой.',
          ],
        },
        kk: {
          name: 'қатерлі («қызыл»)',
          description:
            'Қатерлі («қызыл») деңгей терроризм актісі жасалған және қайталама терроризм актілерін жасау ' +
            'мүмкіндігі болған кезде немесе бірнеше терроризм актісін бір мезгілде жасау мүмкіндігі туралы ' +
            'ақпарат болған кезде енгізіледі.',
          measures: [
            'Азаматтарды, олардың заттары мен көлік құралдарын тексеру жүргізілуі мүмкін.',
            'Адамдар мен көлік құралдарының жүріп-тұруы шектелуі немесе оған тыйым салынуы мүмкін.',
            'Үй-жайларға және аумақтарға кіру шектелуі мүмкін.',
            'Телекоммуникацияларды бақылау және байланыс қызметтерін шектеу мүмкін.',
            'Қажет болған жағдайда адамдар қатер төнген аудандардан эвакуацияланады.',
          ],
        },
      },
    },
  },
  'fr-vigipirate': {
    scheme: {
      fr: {
        name: 'Niveaux du plan Vigipirate',
        event: 'niveau Vigipirate',
        description:
          'Le plan Vigipirate, dispositif permanent de vigilance, de prévention et de protection du gouvernement ' +
          'face à la menace terroriste, compte trois niveaux depuis décembre 2016. Le niveau est décidé par le ' +
          'Premier ministre sur la base de l’évaluation du SGDSN et peut s’appliquer à l’ensemble du territoire, à ' +
          'une zone géographique ou à un secteur d’activité.',
      },
    },
    levels: {
      vigilance: {
        fr: {
          name: 'Vigilance',
          description:
            '« Vigilance » : la posture de sécurité permanente, valable partout et en tout temps, sous laquelle ' +
            's’appliquent toutes les mesures permanentes du plan.',
          measures: [
            'Des mesures permanentes s’appliquent, comme la surveillance des transports et des lieux publics et le contrôle d’accès aux sites publics.',
            'Les bagages abandonnés et les comportements suspects sont signalés aux autorités.',
            'Les exploitants de lieux et d’événements publics maintiennent leur dispositif de sécurité de base.',
          ],
        },
      },
      'securite-renforcee': {
        fr: {
          name: 'Sécurité renforcée – risque attentat',
          description:
            '« Sécurité renforcée – risque attentat » : la réponse de l’État à une menace terroriste élevée, pour ' +
            'l’ensemble du territoire ou une zone ou un secteur particulier, sans limite de durée fixée. Les mesures ' +
            'permanentes sont renforcées et des mesures additionnelles activées.',
          measures: [
            'Patrouilles supplémentaires de police, de gendarmerie et de militaires de l’opération Sentinelle, notamment autour des lieux de culte, des écoles et des gares.',
            'Filtrage et fouille des sacs ou palpations à l’entrée des bâtiments publics, des lieux et des événements.',
            'Accès et stationnement restreints aux abords des écoles et d’autres sites sensibles.',
          ],
        },
      },
      'urgence-attentat': {
        fr: {
          name: 'Urgence attentat',
          description:
            '« Urgence attentat » : vigilance et protection maximales, déclarées à la suite immédiate d’un attentat ' +
            'ou lorsqu’un attentat est documenté et imminent (par exemple un groupe terroriste identifié en fuite). ' +
            'Ce niveau est temporaire, le temps de la gestion de crise, et peut concerner tout le territoire ou une ' +
            'zone définie.',
          measures: [
            'Mobilisation exceptionnelle des forces de sécurité, y compris des militaires de l’opération Sentinelle.',
            'Les contrôles d’accès des personnes et des véhicules aux bâtiments publics sont renforcés et les sacs contrôlés à l’entrée des écoles.',
            'Des mesures contraignantes peuvent être prises, comme la fermeture de certaines routes et de transports publics ou la suspension des transports scolaires.',
            'Des informations de protection de la population sont diffusées par les canaux officiels.',
          ],
        },
      },
    },
  },
  'nl-nctv': {
    scheme: {
      nl: {
        name: 'Dreigingsniveaus terrorisme Nederland',
        event: 'dreigingsniveau terrorisme',
        description:
          'Het Nederlandse dreigingsniveau terrorisme, sinds juli 2016 op een schaal van 1 tot 5, vastgesteld door ' +
          'de NCTV op basis van het Dreigingsbeeld Terrorisme Nederland (DTN). Het beschrijft de algemene ' +
          'terroristische dreiging tegen Nederland over een langere periode; niveau 5 kan voor een specifiek deel ' +
          'van het land worden afgekondigd.',
      },
    },
    levels: {
      '1': {
        nl: {
          name: 'Minimaal',
          description: 'Niveau 1, Minimaal: een aanslag in Nederland is onwaarschijnlijk.',
          measures: [
            'Basisbeveiligingsmaatregelen door overheid, bedrijfsleven en organisaties.',
            'Het publiek wordt gevraagd verdachte situaties bij de politie te melden.',
          ],
        },
      },
      '2': {
        nl: {
          name: 'Beperkt',
          description:
            'Niveau 2, Beperkt: de kans op een aanslag in Nederland is beperkt; een aanslag is minder waarschijnlijk.',
          measures: [
            'Basisbeveiligingsmaatregelen door overheid, bedrijfsleven en organisaties.',
            'Inlichtingen- en veiligheidsdiensten volgen ontwikkelingen die de dreiging kunnen verhogen.',
          ],
        },
      },
      '3': {
        nl: {
          name: 'Aanzienlijk',
          description: 'Niveau 3, Aanzienlijk: een aanslag in Nederland is voorstelbaar.',
          measures: [
            'Politie en veiligheidsdiensten besteden verhoogde aandacht aan mogelijke doelwitten.',
            'Overheid en partners in vitale sectoren herzien hun beveiligingsmaatregelen.',
            'Het publiek wordt gevraagd alert te blijven en verdachte situaties te melden.',
          ],
        },
      },
      '4': {
        nl: {
          name: 'Substantieel',
          description: 'Niveau 4, Substantieel: er is een reële kans op een aanslag in Nederland.',
          measures: [
            'Extra toezicht en beveiliging bij mogelijke doelwitten zoals drukke plaatsen, evenementen, gebedshuizen en vervoersknooppunten.',
            'Zichtbaardere inzet van politie en de Koninklijke Marechaussee op stations en luchthavens.',
            'Organisatoren en exploitanten nemen extra beveiligingsmaatregelen voor evenementen en locaties.',
          ],
        },
      },
      '5': {
        nl: {
          name: 'Kritiek',
          description:
            'Niveau 5, Kritiek: er zijn zeer concrete aanwijzingen dat een aanslag in Nederland zal plaatsvinden, ' +
            'of er heeft een aanslag plaatsgevonden en verdere aanslagen zijn mogelijk.',
          measures: [
            'Maximale beveiligingsmaatregelen, mogelijk beperkt tot het betrokken deel van het land.',
            'Locaties kunnen worden gesloten of ontruimd en evenementen afgelast.',
            'Het publiek wordt via officiële kanalen geïnformeerd en geïnstrueerd, waar nodig ook via NL-Alert.',
          ],
        },
      },
    },
  },
};
