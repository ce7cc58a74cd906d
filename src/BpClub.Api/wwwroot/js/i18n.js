// The cabinet's words in Ukrainian (the default), Russian and English, and the formatting of
// numbers, money and dates for the chosen language (always in Kyiv time, like the programme).

const texts = {
  uk: {
    skip: 'Перейти до змісту', language: 'Мова',
    'nav.home': 'Головна', 'nav.history': 'Історія', 'nav.settings': 'Налаштування', 'nav.signOut': 'Вийти',
    'signIn.title': 'Вхід до кабінету', 'signIn.submit': 'Увійти', 'signIn.register': 'Зареєструвати картку',
    'signIn.forgot': 'Забули пароль?',
    'field.phone': 'Номер телефону', 'field.phone.hint': 'Наприклад, +380 67 123 45 67',
    'field.password': 'Пароль', 'field.cardNumber': 'Номер картки', 'field.cardNumber.hint': '16 цифр зі зворотного боку картки',
    'field.newPassword': 'Новий пароль', 'field.newPassword.hint': 'Щонайменше 8 символів, не лише цифри',
    'field.currentPassword': 'Поточний пароль', 'field.code': 'Код з SMS',
    'register.title': 'Реєстрація картки', 'register.submit': 'Отримати код', 'register.codeSent': 'Ми надіслали код на ваш телефон. Введіть його нижче.',
    'register.confirm': 'Підтвердити', 'register.haveAccount': 'Вже маєте кабінет? Увійти',
    'forgot.title': 'Відновлення пароля', 'forgot.intro': 'Ми надішлемо код на телефон, до якого прив’язана картка.',
    'forgot.send': 'Надіслати код', 'forgot.codeSent': 'Якщо цей номер зареєстровано, на нього надіслано код.',
    'forgot.save': 'Зберегти новий пароль', 'forgot.done': 'Пароль змінено. Увійдіть з новим паролем.', 'back.signIn': 'Повернутися до входу',
    'home.hello': 'Вітаємо, {name}!', 'home.available': 'Доступно для оплати', 'home.total': 'Усього балів',
    'home.points': 'балів', 'home.holdExplain': 'Нові бали стають доступними для оплати через 14 днів після покупки. До того вони враховуються лише в загальному балансі.',
    'home.nextRelease': 'Наступне зарахування: {points} балів — {date}', 'home.noRelease': 'Зараз немає балів в очікуванні.',
    'home.live': 'Баланс оновлюється автоматично.',
    'home.level': 'Ваш рівень', 'home.litresTo': '{litres} л до рівня {level}', 'home.topLevel': 'Це найвищий рівень.',
    'home.litresToKeep': 'Купіть ще {litres} л цього місяця, щоб зберегти рівень {level}.',
    'home.expiring': '{date} буде анульовано {points} балів, якщо не витратити їх до того.',
    'home.litresCounted': 'Пальне цього місяця: {litres} л. Рівень рахується до {date}',
    'home.chart': 'Бали за останні 12 місяців', 'home.earned': 'Нараховано', 'home.spent': 'Витрачено',
    'home.chartEmpty': 'Поки що немає операцій.', 'home.card': 'Ваша картка', 'home.cardHint': 'Покажіть штрихкод касиру.',
    'history.title': 'Історія операцій', 'history.date': 'Дата', 'history.station': 'АЗС / партнер', 'history.what': 'Операція',
    'history.points': 'Бали', 'history.available': 'Доступні', 'history.availableFrom': 'з {date}', 'history.availableNow': 'доступні',
    'history.newer': '← Новіші', 'history.older': 'Старіші →', 'history.empty': 'Операцій ще немає.', 'history.page': 'Сторінка {n}',
    'kind.issued': 'Картку видано', 'kind.purchase': 'Покупка', 'kind.partner': 'Покупка в партнера', 'kind.released': 'Бали стали доступними',
    'kind.expired': 'Бали анульовано (щорічне списання)', 'kind.redemption': 'Оплата балами', 'kind.refund': 'Повернення покупки', 'kind.reversal': 'Оплату балами скасовано, бали повернуто',
    'kind.annulled': 'Бали за пізно передану покупку анульовано (щорічне списання)',
    'kind.spending.on': 'Оплату балами увімкнено', 'kind.spending.off': 'Оплату балами вимкнено', 'kind.terminated': 'Участь припинено',
    'kind.adjustment': 'Коригування від служби підтримки', 'kind.releasedEarly': 'Бали стали доступними достроково',
    'history.filter.kind': 'Операції', 'history.filter.all': 'Усі', 'history.filter.purchases': 'Покупки',
    'history.filter.released': 'Бали стали доступними', 'history.filter.annulled': 'Анульовані бали',
    'history.filter.from': 'З', 'history.filter.to': 'По', 'history.filter.apply': 'Показати',
    'history.filter.order': 'Дата «з» має бути не пізніше за дату «по».',
    'history.filter.tooLong': 'CSV охоплює щонайбільше 366 днів: оберіть коротший період.', 'history.csv': 'Завантажити CSV',
    'shop.items': '{n} тов. у магазині', litres: 'л',
    'settings.title': 'Налаштування', 'settings.spending': 'Оплата балами на касі',
    'settings.spendingExplain': 'Поки оплату вимкнено, ніхто не зможе розрахуватися вашими балами — навіть якщо картку загублено чи викрадено. Увімкніть, коли захочете платити балами.',
    'settings.spendingSwitch': 'Дозволити оплату балами', 'settings.spendingOn': 'Увімкнено', 'settings.spendingOff': 'Вимкнено', 'settings.spendingSaved': 'Збережено.',
    'settings.password': 'Зміна пароля', 'settings.changePassword': 'Змінити пароль', 'settings.passwordChanged': 'Пароль змінено. Інші сеанси завершено.',
    'error.required': 'Заповніть це поле.', 'error.phone': 'Це не номер мобільного телефону, наприклад +380 67 123 45 67.',
    'error.cardNumber': 'Номер картки — 16 цифр з правильною контрольною цифрою.',
    'error.minLength': 'Щонайменше 8 символів.', 'error.maxLength': 'Задовгий пароль.', 'error.onlyDigits': 'Пароль не може складатися лише з цифр.',
    'error.isPhone': 'Пароль не може бути вашим номером телефону.', 'error.currentPassword': 'Це не ваш поточний пароль.',
    'error.code': 'Неправильний код.', 'error.tooManyCodes': 'Забагато неправильних кодів. Запросіть новий код.',
    'error.codeTooSoon': 'Код уже надіслано щойно. Спробуйте ще раз за хвилину.',
    'error.signIn': 'Неправильний номер телефону або пароль.',
    'error.locked': 'Забагато неправильних паролів. Вхід для цього номера заблоковано до {time}. Ви можете встановити новий пароль за кодом з SMS.',
    'error.unknownCard': 'Картку з таким номером не видано. Картки видають на касі АЗС.',
    'error.alreadyRegistered': 'Цю картку вже зареєстровано. Увійдіть за номером телефону і паролем.',
    'error.phoneTaken': 'На цей номер телефону вже зареєстровано картку.', 'error.terminated': 'Участь за цією карткою припинено.',
    'error.expired': 'Час дії коду минув. Почніть спочатку.', 'error.invalid': 'Перевірте це поле.',
    'error.rateLimited': 'Забагато спроб. Спробуйте трохи пізніше.', 'error.unavailable': 'Сервіс тимчасово недоступний. Спробуйте ще раз.',
    'error.generic': 'Щось пішло не так. Спробуйте ще раз.', 'error.sessionEnded': 'Сеанс завершено. Увійдіть знову.',
    'field.cardCode': 'Код картки', 'field.cardCode.hint': 'Надрукований на картці, 12 символів. Не потрібен, якщо на касі вказали ваш телефон.',
    'error.phoneNotRecorded': 'Цю картку можна зареєструвати лише з номером телефону, який вказали на касі під час її видачі.',
    'error.cardCodeMissing': 'Введіть код, надрукований на картці.', 'error.cardCodeWrong': 'Неправильний код картки.',
    'error.cardCodeLocked': 'Забагато неправильних кодів картки. Реєстрацію цієї картки заблоковано до {time}.',
    'error.noCardCode': 'Цю картку не можна зареєструвати онлайн. Зверніться на АЗС по нову картку.',
    'field.spendingPassword': 'Пароль для підтвердження', 'settings.spendingConfirm': 'Увімкнути', 'settings.cancel': 'Скасувати',
    'settings.spendingConfirmExplain': 'Щоб увімкнути оплату балами, введіть пароль. Ми надішлемо SMS про це на ваш телефон.',
    'error.password': 'Це не ваш пароль.', 'error.spendingLocked': 'Забагато неправильних паролів. Увімкнути оплату можна буде після {time}.',
    // Profile: editing the questionnaire, the data download, leaving the programme.
    'nav.profile': 'Профіль', 'profile.title': 'Профіль', 'profile.details': 'Особисті дані', 'profile.phone': 'Телефон: {phone}',
    'field.firstName': "Ім'я", 'field.lastName': 'Прізвище', 'field.birthDate': 'Дата народження',
    'profile.save': 'Зберегти', 'profile.saved': 'Збережено.',
    'profile.export': 'Мої дані', 'profile.exportExplain': 'Файл JSON з усім, що ми зберігаємо про вас: профіль, картка, бали, рівень, уся історія та налаштування.',
    'profile.download': 'Завантажити мої дані',
    'profile.leaveTitle': 'Вийти з програми', 'profile.leaveExplain': 'Усі бали, доступні й на утриманні, згорять, картку буде закрито, а ваші особисті дані — видалено. Це не можна скасувати.',
    'field.leavePassword': 'Пароль для підтвердження', 'profile.leaveSure': 'Я розумію, що бали згорять, а картку буде закрито',
    'profile.leaveConfirmFirst': 'Підтвердьте, що розумієте наслідки.', 'profile.leave': 'Вийти з програми назавжди',
    'profile.left': 'Ви вийшли з програми. Ваші особисті дані видалено.',
    // Profile: changing the phone.
    'profile.phoneTitle': 'Номер телефону', 'field.newPhone': 'Новий номер телефону', 'field.phonePassword': 'Ваш пароль',
    'profile.phoneExplain': 'Ми надішлемо код на новий номер. Номер зміниться, щойно ви введете код; на старий номер прийде SMS про зміну. Після цього входьте з новим номером.',
    'profile.phoneSend': 'Надіслати код', 'profile.phoneCodeSent': 'Код надіслано на {phone}. Введіть його, щоб завершити зміну.',
    'profile.phoneConfirm': 'Змінити номер', 'profile.phoneChanged': 'Номер змінено. Тепер входьте з номером {phone}.',
    'error.samePhone': 'Це вже ваш номер телефону.',
    'nav.partners': 'Партнери', 'partners.title': 'Партнери програми',
    'partners.explain': 'Картка BP CLUB збирає бали й у партнерів програми. Бали від партнерів утримуються так само, як бали з АЗС.',
    'partners.rate': '{points} балів за кожні 100 грн', 'partners.empty': 'Партнерів поки немає.',
    'home.offers': 'Акції та пропозиції →', 'offers.title': 'Акції та пропозиції',
    'offers.explain': 'Акції для вашого рівня, що діють зараз і почнуться впродовж 30 днів.',
    'offers.running': 'Діє зараз', 'offers.upcoming': 'Незабаром', 'offers.empty': 'Зараз акцій немає.',
    'offers.multiplier': 'Бали ×{m}', 'offers.bonus': '+{n} бонусних балів за позицію', 'offers.and': 'і',
    'offers.fuels': 'на пальне {list}', 'offers.categories': 'на товари: {list}', 'offers.everything': 'на всі покупки',
    'offers.stations': 'На АЗС: {list}', 'offers.allStations': 'На всіх АЗС мережі',
    'offers.until': 'До {date}', 'offers.fromTo': 'З {from} до {to}', 'offers.levels': 'Для рівнів: {list}',
  },
  ru: {
    skip: 'Перейти к содержимому', language: 'Язык',
    'nav.home': 'Главная', 'nav.history': 'История', 'nav.settings': 'Настройки', 'nav.signOut': 'Выйти',
    'signIn.title': 'Вход в кабинет', 'signIn.submit': 'Войти', 'signIn.register': 'Зарегистрировать карту',
    'signIn.forgot': 'Забыли пароль?',
    'field.phone': 'Номер телефона', 'field.phone.hint': 'Например, +380 67 123 45 67',
    'field.password': 'Пароль', 'field.cardNumber': 'Номер карты', 'field.cardNumber.hint': '16 цифр на обороте карты',
    'field.newPassword': 'Новый пароль', 'field.newPassword.hint': 'Не менее 8 символов, не только цифры',
    'field.currentPassword': 'Текущий пароль', 'field.code': 'Код из SMS',
    'register.title': 'Регистрация карты', 'register.submit': 'Получить код', 'register.codeSent': 'Мы отправили код на ваш телефон. Введите его ниже.',
    'register.confirm': 'Подтвердить', 'register.haveAccount': 'Уже есть кабинет? Войти',
    'forgot.title': 'Восстановление пароля', 'forgot.intro': 'Мы отправим код на телефон, к которому привязана карта.',
    'forgot.send': 'Отправить код', 'forgot.codeSent': 'Если этот номер зарегистрирован, на него отправлен код.',
    'forgot.save': 'Сохранить новый пароль', 'forgot.done': 'Пароль изменён. Войдите с новым паролем.', 'back.signIn': 'Вернуться ко входу',
    'home.hello': 'Здравствуйте, {name}!', 'home.available': 'Доступно для оплаты', 'home.total': 'Всего баллов',
    'home.points': 'баллов', 'home.holdExplain': 'Новые баллы становятся доступными для оплаты через 14 дней после покупки. До этого они учитываются только в общем балансе.',
    'home.nextRelease': 'Следующее зачисление: {points} баллов — {date}', 'home.noRelease': 'Сейчас нет баллов в ожидании.',
    'home.live': 'Баланс обновляется автоматически.',
    'home.level': 'Ваш уровень', 'home.litresTo': '{litres} л до уровня {level}', 'home.topLevel': 'Это высший уровень.',
    'home.litresToKeep': 'Купите ещё {litres} л в этом месяце, чтобы сохранить уровень {level}.',
    'home.expiring': '{date} будет аннулировано {points} баллов, если не потратить их до этого.',
    'home.litresCounted': 'Топливо в этом месяце: {litres} л. Уровень считается до {date}',
    'home.chart': 'Баллы за последние 12 месяцев', 'home.earned': 'Начислено', 'home.spent': 'Потрачено',
    'home.chartEmpty': 'Пока нет операций.', 'home.card': 'Ваша карта', 'home.cardHint': 'Покажите штрихкод кассиру.',
    'history.title': 'История операций', 'history.date': 'Дата', 'history.station': 'АЗС / партнёр', 'history.what': 'Операция',
    'history.points': 'Баллы', 'history.available': 'Доступны', 'history.availableFrom': 'с {date}', 'history.availableNow': 'доступны',
    'history.newer': '← Новее', 'history.older': 'Старше →', 'history.empty': 'Операций пока нет.', 'history.page': 'Страница {n}',
    'kind.issued': 'Карта выдана', 'kind.purchase': 'Покупка', 'kind.partner': 'Покупка у партнёра', 'kind.released': 'Баллы стали доступны',
    'kind.expired': 'Баллы аннулированы (ежегодное списание)', 'kind.redemption': 'Оплата баллами', 'kind.refund': 'Возврат покупки', 'kind.reversal': 'Оплата баллами отменена, баллы возвращены',
    'kind.annulled': 'Баллы за поздно переданную покупку аннулированы (ежегодное списание)',
    'kind.spending.on': 'Оплата баллами включена', 'kind.spending.off': 'Оплата баллами выключена', 'kind.terminated': 'Участие прекращено',
    'kind.adjustment': 'Корректировка службой поддержки', 'kind.releasedEarly': 'Баллы стали доступны досрочно',
    'history.filter.kind': 'Операции', 'history.filter.all': 'Все', 'history.filter.purchases': 'Покупки',
    'history.filter.released': 'Баллы стали доступны', 'history.filter.annulled': 'Аннулированные баллы',
    'history.filter.from': 'С', 'history.filter.to': 'По', 'history.filter.apply': 'Показать',
    'history.filter.order': 'Дата «с» должна быть не позже даты «по».',
    'history.filter.tooLong': 'CSV охватывает не более 366 дней: выберите период короче.', 'history.csv': 'Скачать CSV',
    'shop.items': '{n} тов. в магазине', litres: 'л',
    'settings.title': 'Настройки', 'settings.spending': 'Оплата баллами на кассе',
    'settings.spendingExplain': 'Пока оплата выключена, никто не сможет расплатиться вашими баллами — даже если карта потеряна или украдена. Включите, когда захотите платить баллами.',
    'settings.spendingSwitch': 'Разрешить оплату баллами', 'settings.spendingOn': 'Включено', 'settings.spendingOff': 'Выключено', 'settings.spendingSaved': 'Сохранено.',
    'settings.password': 'Смена пароля', 'settings.changePassword': 'Сменить пароль', 'settings.passwordChanged': 'Пароль изменён. Другие сеансы завершены.',
    'error.required': 'Заполните это поле.', 'error.phone': 'Это не номер мобильного телефона, например +380 67 123 45 67.',
    'error.cardNumber': 'Номер карты — 16 цифр с правильной контрольной цифрой.',
    'error.minLength': 'Не менее 8 символов.', 'error.maxLength': 'Слишком длинный пароль.', 'error.onlyDigits': 'Пароль не может состоять только из цифр.',
    'error.isPhone': 'Пароль не может быть вашим номером телефона.', 'error.currentPassword': 'Это не ваш текущий пароль.',
    'error.code': 'Неверный код.', 'error.tooManyCodes': 'Слишком много неверных кодов. Запросите новый код.',
    'error.codeTooSoon': 'Код уже только что отправлен. Попробуйте через минуту.',
    'error.signIn': 'Неверный номер телефона или пароль.',
    'error.locked': 'Слишком много неверных паролей. Вход для этого номера заблокирован до {time}. Вы можете задать новый пароль по коду из SMS.',
    'error.unknownCard': 'Карта с таким номером не выдавалась. Карты выдают на кассе АЗС.',
    'error.alreadyRegistered': 'Эта карта уже зарегистрирована. Войдите по номеру телефона и паролю.',
    'error.phoneTaken': 'На этот номер телефона уже зарегистрирована карта.', 'error.terminated': 'Участие по этой карте прекращено.',
    'error.expired': 'Срок действия кода истёк. Начните сначала.', 'error.invalid': 'Проверьте это поле.',
    'error.rateLimited': 'Слишком много попыток. Попробуйте немного позже.', 'error.unavailable': 'Сервис временно недоступен. Попробуйте ещё раз.',
    'error.generic': 'Что-то пошло не так. Попробуйте ещё раз.', 'error.sessionEnded': 'Сеанс завершён. Войдите снова.',
    'field.cardCode': 'Код карты', 'field.cardCode.hint': 'Напечатан на карте, 12 символов. Не нужен, если на кассе указали ваш телефон.',
    'error.phoneNotRecorded': 'Эту карту можно зарегистрировать только с номером телефона, который указали на кассе при её выдаче.',
    'error.cardCodeMissing': 'Введите код, напечатанный на карте.', 'error.cardCodeWrong': 'Неверный код карты.',
    'error.cardCodeLocked': 'Слишком много неверных кодов карты. Регистрация этой карты заблокирована до {time}.',
    'error.noCardCode': 'Эту карту нельзя зарегистрировать онлайн. Обратитесь на АЗС за новой картой.',
    'field.spendingPassword': 'Пароль для подтверждения', 'settings.spendingConfirm': 'Включить', 'settings.cancel': 'Отмена',
    'settings.spendingConfirmExplain': 'Чтобы включить оплату баллами, введите пароль. Мы отправим SMS об этом на ваш телефон.',
    'error.password': 'Это не ваш пароль.', 'error.spendingLocked': 'Слишком много неверных паролей. Включить оплату можно будет после {time}.',
    // Profile: editing the questionnaire, the data download, leaving the programme.
    'nav.profile': 'Профиль', 'profile.title': 'Профиль', 'profile.details': 'Личные данные', 'profile.phone': 'Телефон: {phone}',
    'field.firstName': 'Имя', 'field.lastName': 'Фамилия', 'field.birthDate': 'Дата рождения',
    'profile.save': 'Сохранить', 'profile.saved': 'Сохранено.',
    'profile.export': 'Мои данные', 'profile.exportExplain': 'Файл JSON со всем, что мы храним о вас: профиль, карта, баллы, уровень, вся история и настройки.',
    'profile.download': 'Скачать мои данные',
    'profile.leaveTitle': 'Выйти из программы', 'profile.leaveExplain': 'Все баллы, доступные и на удержании, сгорят, карта будет закрыта, а ваши личные данные — удалены. Это нельзя отменить.',
    'field.leavePassword': 'Пароль для подтверждения', 'profile.leaveSure': 'Я понимаю, что баллы сгорят, а карта будет закрыта',
    'profile.leaveConfirmFirst': 'Подтвердите, что понимаете последствия.', 'profile.leave': 'Выйти из программы навсегда',
    'profile.left': 'Вы вышли из программы. Ваши личные данные удалены.',
    // Profile: changing the phone.
    'profile.phoneTitle': 'Номер телефона', 'field.newPhone': 'Новый номер телефона', 'field.phonePassword': 'Ваш пароль',
    'profile.phoneExplain': 'Мы отправим код на новый номер. Номер изменится, как только вы введёте код; на старый номер придёт SMS об изменении. После этого входите с новым номером.',
    'profile.phoneSend': 'Отправить код', 'profile.phoneCodeSent': 'Код отправлен на {phone}. Введите его, чтобы завершить изменение.',
    'profile.phoneConfirm': 'Изменить номер', 'profile.phoneChanged': 'Номер изменён. Теперь входите с номером {phone}.',
    'error.samePhone': 'Это уже ваш номер телефона.',
    'nav.partners': 'Партнёры', 'partners.title': 'Партнёры программы',
    'partners.explain': 'Карта BP CLUB собирает баллы и у партнёров программы. Баллы от партнёров удерживаются так же, как баллы с АЗС.',
    'partners.rate': '{points} баллов за каждые 100 грн', 'partners.empty': 'Партнёров пока нет.',
    'home.offers': 'Акции и предложения →', 'offers.title': 'Акции и предложения',
    'offers.explain': 'Акции для вашего уровня, которые действуют сейчас и начнутся в течение 30 дней.',
    'offers.running': 'Действует сейчас', 'offers.upcoming': 'Скоро', 'offers.empty': 'Сейчас акций нет.',
    'offers.multiplier': 'Баллы ×{m}', 'offers.bonus': '+{n} бонусных баллов за позицию', 'offers.and': 'и',
    'offers.fuels': 'на топливо {list}', 'offers.categories': 'на товары: {list}', 'offers.everything': 'на все покупки',
    'offers.stations': 'На АЗС: {list}', 'offers.allStations': 'На всех АЗС сети',
    'offers.until': 'До {date}', 'offers.fromTo': 'С {from} до {to}', 'offers.levels': 'Для уровней: {list}',
  },
  en: {
    skip: 'Skip to content', language: 'Language',
    'nav.home': 'Home', 'nav.history': 'History', 'nav.settings': 'Settings', 'nav.signOut': 'Sign out',
    'signIn.title': 'Sign in to your cabinet', 'signIn.submit': 'Sign in', 'signIn.register': 'Register a card',
    'signIn.forgot': 'Forgotten your password?',
    'field.phone': 'Phone number', 'field.phone.hint': 'For example, +380 67 123 45 67',
    'field.password': 'Password', 'field.cardNumber': 'Card number', 'field.cardNumber.hint': 'The 16 digits on the back of the card',
    'field.newPassword': 'New password', 'field.newPassword.hint': 'At least 8 characters, not only digits',
    'field.currentPassword': 'Current password', 'field.code': 'Code from the SMS',
    'register.title': 'Register your card', 'register.submit': 'Send me a code', 'register.codeSent': 'We have sent a code to your phone. Enter it below.',
    'register.confirm': 'Confirm', 'register.haveAccount': 'Already registered? Sign in',
    'forgot.title': 'Reset your password', 'forgot.intro': 'We will send a code to the phone your card is registered with.',
    'forgot.send': 'Send a code', 'forgot.codeSent': 'If this number is registered, a code has been sent to it.',
    'forgot.save': 'Save the new password', 'forgot.done': 'Your password has been changed. Sign in with the new one.', 'back.signIn': 'Back to sign in',
    'home.hello': 'Hello, {name}!', 'home.available': 'Available to spend', 'home.total': 'Total points',
    'home.points': 'points', 'home.holdExplain': 'New points become available to spend 14 days after the purchase. Until then they count only in the total.',
    'home.nextRelease': 'Next release: {points} points on {date}.', 'home.noRelease': 'No points are waiting to become available.',
    'home.live': 'The balance updates by itself.',
    'home.level': 'Your level', 'home.litresTo': '{litres} litres to {level}', 'home.topLevel': 'This is the top level.',
    'home.litresToKeep': 'Buy {litres} litres more this month to keep {level}.',
    'home.expiring': '{points} points will be annulled on {date} unless you spend them before.',
    'home.litresCounted': 'Fuel this month: {litres} L. The level is counted until {date}.',
    'home.chart': 'Points over the last 12 months', 'home.earned': 'Earned', 'home.spent': 'Spent',
    'home.chartEmpty': 'No activity yet.', 'home.card': 'Your card', 'home.cardHint': 'Show the barcode at the till.',
    'history.title': 'History', 'history.date': 'Date', 'history.station': 'Station / partner', 'history.what': 'What',
    'history.points': 'Points', 'history.available': 'Available', 'history.availableFrom': 'from {date}', 'history.availableNow': 'available',
    'history.newer': '← Newer', 'history.older': 'Older →', 'history.empty': 'Nothing here yet.', 'history.page': 'Page {n}',
    'kind.issued': 'Card issued', 'kind.purchase': 'Purchase', 'kind.partner': 'Purchase at a partner', 'kind.released': 'Points became available',
    'kind.expired': 'Points annulled (annual expiry)', 'kind.redemption': 'Paid with points', 'kind.refund': 'Purchase refunded', 'kind.reversal': 'Payment with points undone, points returned',
    'kind.annulled': 'Points of a late-reported purchase annulled (annual expiry)',
    'kind.spending.on': 'Spending switched on', 'kind.spending.off': 'Spending switched off', 'kind.terminated': 'Participation ended',
    'kind.adjustment': 'Adjustment by support', 'kind.releasedEarly': 'Points released early',
    'history.filter.kind': 'Show', 'history.filter.all': 'Everything', 'history.filter.purchases': 'Purchases',
    'history.filter.released': 'Points became available', 'history.filter.annulled': 'Points annulled',
    'history.filter.from': 'From', 'history.filter.to': 'To', 'history.filter.apply': 'Apply',
    'history.filter.order': '"From" must not be after "to".',
    'history.filter.tooLong': 'A CSV covers at most 366 days: choose a shorter period.', 'history.csv': 'Download CSV',
    'shop.items': '{n} shop item(s)', litres: 'L',
    'settings.title': 'Settings', 'settings.spending': 'Paying with points at the till',
    'settings.spendingExplain': 'While spending is off, nobody can pay with your points — even if your card is lost or stolen. Switch it on when you want to pay with points.',
    'settings.spendingSwitch': 'Allow paying with points', 'settings.spendingOn': 'On', 'settings.spendingOff': 'Off', 'settings.spendingSaved': 'Saved.',
    'settings.password': 'Change password', 'settings.changePassword': 'Change password', 'settings.passwordChanged': 'Password changed. Your other sessions have ended.',
    'error.required': 'Please fill this in.', 'error.phone': 'Not a mobile phone number, e.g. +380 67 123 45 67.',
    'error.cardNumber': 'A card number is 16 digits with a valid check digit.',
    'error.minLength': 'At least 8 characters.', 'error.maxLength': 'The password is too long.', 'error.onlyDigits': 'The password must not be only digits.',
    'error.isPhone': 'The password must not be your phone number.', 'error.currentPassword': 'This is not your current password.',
    'error.code': 'The code is not correct.', 'error.tooManyCodes': 'Too many wrong codes. Ask for a new one.',
    'error.codeTooSoon': 'A code was sent a moment ago. Try again in a minute.',
    'error.signIn': 'The phone number or the password is not correct.',
    'error.locked': 'Too many wrong passwords. Sign-in for this phone is locked until {time}. You can set a new password with a code by SMS.',
    'error.unknownCard': 'No card with this number has been issued. Cards are issued at the station’s till.',
    'error.alreadyRegistered': 'This card is already registered. Sign in with your phone and password.',
    'error.phoneTaken': 'This phone number already holds a registered card.', 'error.terminated': 'Participation on this card has ended.',
    'error.expired': 'The code has expired. Please start again.', 'error.invalid': 'Please check this field.',
    'error.rateLimited': 'Too many attempts. Please try again a little later.', 'error.unavailable': 'The service is unavailable for a moment. Please try again.',
    'error.generic': 'Something went wrong. Please try again.', 'error.sessionEnded': 'Your session has ended. Please sign in again.',
    'field.cardCode': 'Card code', 'field.cardCode.hint': 'Printed on the card, 12 characters. Not needed if the station recorded your phone.',
    'error.phoneNotRecorded': 'This card can only be registered with the phone number given at the till when it was issued.',
    'error.cardCodeMissing': 'Enter the code printed on the card.', 'error.cardCodeWrong': 'The card code is not correct.',
    'error.cardCodeLocked': 'Too many wrong card codes. Registration of this card is locked until {time}.',
    'error.noCardCode': 'This card cannot be registered online. Ask at a station for a new card.',
    'field.spendingPassword': 'Password to confirm', 'settings.spendingConfirm': 'Switch on', 'settings.cancel': 'Cancel',
    'settings.spendingConfirmExplain': 'To switch paying with points on, enter your password. We will text your phone that it was switched on.',
    'error.password': 'This is not your password.', 'error.spendingLocked': 'Too many wrong passwords. You can switch spending on again after {time}.',
    // Profile: editing the questionnaire, the data download, leaving the programme.
    'nav.profile': 'Profile', 'profile.title': 'Profile', 'profile.details': 'Personal details', 'profile.phone': 'Phone: {phone}',
    'field.firstName': 'First name', 'field.lastName': 'Last name', 'field.birthDate': 'Date of birth',
    'profile.save': 'Save', 'profile.saved': 'Saved.',
    'profile.export': 'My data', 'profile.exportExplain': 'A JSON file of everything we hold about you: profile, card, points, level, the whole history and your settings.',
    'profile.download': 'Download my data',
    'profile.leaveTitle': 'Leave the programme', 'profile.leaveExplain': 'All your points, available and on hold, are forfeited, the card is closed and your personal data is erased. This cannot be undone.',
    'field.leavePassword': 'Password to confirm', 'profile.leaveSure': 'I understand that my points are forfeited and the card is closed',
    'profile.leaveConfirmFirst': 'Confirm that you understand what happens.', 'profile.leave': 'Leave the programme for good',
    'profile.left': 'You have left the programme. Your personal data has been erased.',
    // Profile: changing the phone.
    'profile.phoneTitle': 'Phone number', 'field.newPhone': 'New phone number', 'field.phonePassword': 'Your password',
    'profile.phoneExplain': 'We send a code to the new number. The number changes once you enter the code; the old number gets an SMS about it. From then on, sign in with the new number.',
    'profile.phoneSend': 'Send the code', 'profile.phoneCodeSent': 'A code has been sent to {phone}. Enter it to finish the change.',
    'profile.phoneConfirm': 'Change the number', 'profile.phoneChanged': 'Number changed. Sign in with {phone} from now on.',
    'error.samePhone': 'This is already your phone number.',
    'nav.partners': 'Partners', 'partners.title': 'Programme partners',
    'partners.explain': 'Your BP CLUB card earns points at the programme\'s partners too. Points from partners are held like those from stations.',
    'partners.rate': '{points} points for every 100 UAH', 'partners.empty': 'There are no partners yet.',
    'home.offers': 'Promotions and offers →', 'offers.title': 'Promotions and offers',
    'offers.explain': 'Promotions for your level running now and starting within 30 days.',
    'offers.running': 'Running now', 'offers.upcoming': 'Coming soon', 'offers.empty': 'There are no promotions just now.',
    'offers.multiplier': '×{m} points', 'offers.bonus': '+{n} bonus points per item', 'offers.and': 'and',
    'offers.fuels': 'on fuel {list}', 'offers.categories': 'on shop goods: {list}', 'offers.everything': 'on every purchase',
    'offers.stations': 'At stations: {list}', 'offers.allStations': 'At every station of the network',
    'offers.until': 'Until {date}', 'offers.fromTo': 'From {from} to {to}', 'offers.levels': 'For levels: {list}',
  },
};

const locales = { uk: 'uk-UA', ru: 'ru-UA', en: 'en-GB' };
const zone = 'Europe/Kyiv';
let language = localStorage.getItem('bpclub.language');
if (!texts[language]) language = 'uk';

export const getLanguage = () => language;

export function setLanguage(value) {
  language = texts[value] ? value : 'uk';
  localStorage.setItem('bpclub.language', language);
  document.documentElement.lang = language;
}

/** The text for a key in the chosen language, with {name} placeholders filled in. */
export function t(key, values = {}) {
  const text = texts[language][key] ?? texts.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');
}

export const formatNumber = (value, digits = 0) =>
  new Intl.NumberFormat(locales[language], { maximumFractionDigits: digits }).format(value);
export const formatMoney = value =>
  new Intl.NumberFormat(locales[language], { style: 'currency', currency: 'UAH', currencyDisplay: 'narrowSymbol' }).format(value);
export const formatDate = value =>
  new Intl.DateTimeFormat(locales[language], { dateStyle: 'medium', timeZone: zone }).format(new Date(value));
export const formatDateTime = value =>
  new Intl.DateTimeFormat(locales[language], { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(value));
export const formatTime = value =>
  new Intl.DateTimeFormat(locales[language], { timeStyle: 'short', timeZone: zone }).format(new Date(value));
export const formatMonth = date =>
  new Intl.DateTimeFormat(locales[language], { month: 'short', timeZone: zone }).format(date);

/** Kyiv's year and month of an instant, as "2026-05". */
export function kyivMonth(value) {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone: zone }).formatToParts(new Date(value));
  return `${parts.find(p => p.type === 'year').value}-${parts.find(p => p.type === 'month').value}`;
}

/** Kyiv's date of an instant (or of a "2027-06-01" day), as "2027-06-01": such strings compare as dates. */
export function kyivDay(value) {
  const format = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone
  });
  return format.format(new Date(value));
}

/** The server's English validation messages, mapped to keys of ours; anything else is "check this field". */
const serverMessages = [
  [/^Required/, 'error.required'],
  [/mobile phone number/, 'error.phone'],
  [/card number is 16 digits/, 'error.cardNumber'],
  [/^At least \d+ characters/, 'error.minLength'],
  [/^At most \d+ characters/, 'error.maxLength'],
  [/only digits/, 'error.onlyDigits'],
  // Changing the phone: the member's own number, and one texts cannot reach.
  [/already your phone number/, 'error.samePhone'],
  [/mobile numbers of the programme/, 'error.phone'],
  [/your phone number/, 'error.isPhone'],
  [/not your current password/, 'error.currentPassword'],
  [/not your password/, 'error.password'],
  [/code is not correct/, 'error.code'],
];

export function translateServerMessage(message) {
  const match = serverMessages.find(([pattern]) => pattern.test(message ?? ''));
  return t(match ? match[1] : 'error.invalid');
}
